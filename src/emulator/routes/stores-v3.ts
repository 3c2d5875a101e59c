import { bodyObject, entityNotFound, invalidField, permissionDenied, type EmulatorRequest, type Reply } from '../http.js';
import { compileFilter, resolveOffsetPaging, sortItems, valuesAt } from '../query-engine.js';
import { enforceQuerySpec } from '../query-spec-guard.js';
import { readTextSearch, textSearchPredicate, type TextSearch } from '../text-search.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import { REQUESTED_FIELDS, type FieldsEndpoint } from '../../specs/requested-fields.js';
import { productVariantsOf, projectV3Product, toReadOnlyVariant, type V3Product } from '../site/v3.js';
import { cursorPage, decodeCursor, encodeCursor, readQuery, readSearchRequest, requireCatalog, withQueryErrors } from './common.js';

/** Stores Catalog V3 product routes (docs/wix-api.md 2.5; typings of @wix/auto_sdk_stores_products-v-3). */

/** What a V3 cursor carries: next-page requests drop filter and sort, so the cursor must keep them (docs/wix-api.md 8.15). */
interface CursorState {
  filter: unknown;
  sort: unknown;
  search?: TextSearch;
  offset: number;
}

function toCursor(c: CursorState): string {
  return encodeCursor({ f: c.filter ?? null, s: c.sort ?? null, x: c.search ?? null, o: c.offset });
}

function fromCursor(cursor: string, field: string): CursorState {
  const raw = decodeCursor(cursor, field);
  return { filter: raw.f ?? undefined, sort: raw.s ?? undefined, search: (raw.x as TextSearch | null) ?? undefined, offset: raw.o };
}

/**
 * Reads and checks `fields` (body array, or repeated `?fields=` on GETs) against the endpoint's enum (query and search
 * share one, get has its own, variants theirs: src/specs/requested-fields.ts); MERCHANT_DATA is admin-only.
 */
function requestedFields(req: EmulatorRequest, endpoint: FieldsEndpoint): string[] {
  const fromBody = bodyObject(req).fields;
  const fields = Array.isArray(fromBody) ? fromBody.map(String) : req.query.getAll('fields');
  const accepted = REQUESTED_FIELDS[endpoint];
  for (const f of fields) {
    if (!accepted.includes(f)) throw invalidField('fields', `unknown field ${f}; expected one of ${accepted.join(', ')}`);
  }
  // Merchant data needs WIX_STORES.PRODUCT_MERCHANT_DATA_READ, which visitors and members lack (docs/wix-api.md 6).
  if (fields.includes('MERCHANT_DATA')) throw permissionDenied('fields MERCHANT_DATA requires admin permissions; visitor and member tokens do not have them');
  return fields;
}

/** `V3ProductSearchSpec.searchable` in the SDK typings (@wix/auto_sdk_stores_products-v-3). */
const SEARCHABLE = [
  'description',
  'directCategoryIdsInfo.categoryIds',
  'minVariantPriceInfo.sku',
  'name',
  'physicalProperties.deliveryProfileId',
  'physicalProperties.shippingGroupId',
  'variantsInfo.variants.barcode',
  'variantsInfo.variants.sku',
] as const;

/** The texts of a searchable field: the rich `description` reads as its plain text, category ids come from the direct categories. */
function productText(item: unknown, field: string): string[] {
  const product = item as V3Product;
  if (field === 'description') return [String(product.plainDescription ?? '').replace(/<[^>]*>/g, ' ')];
  const path = field === 'directCategoryIdsInfo.categoryIds' ? 'directCategoriesInfo.categories.id' : field;
  return valuesAt(product, path).filter((v): v is string => typeof v === 'string');
}

function selection(state: EmulatorState, filter: unknown, sort: unknown, search: TextSearch | undefined, prefix: string): V3Product[] {
  const index = state.productsV3;
  if (!search) return index.cache.select(filter, sort);
  const predicate = compileFilter(filter, `${prefix}.filter`);
  const matches = textSearchPredicate(search, productText);
  return sortItems(index.visible.filter((p) => predicate(p) && matches(p)), sort, `${prefix}.sort`);
}

/** Runs a cursor-paged query or search; `prefix` is `query` or `search` (the request's wrapper key). */
function cursorQuery(state: EmulatorState, req: EmulatorRequest, prefix: 'query' | 'search'): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V3_CATALOG');
  const fields = requestedFields(req, 'productsV3List');
  const q = readQuery(req, prefix);
  enforceQuerySpec(prefix === 'query' ? 'productsV3Query' : 'productsV3Search', q.filter, q.sort, prefix);
  const cursorPaging = (typeof q.cursorPaging === 'object' && q.cursorPaging !== null ? q.cursorPaging : {}) as { limit?: unknown; cursor?: unknown };
  return withQueryErrors(() => {
    const { limit } = resolveOffsetPaging({ limit: cursorPaging.limit }, { defaultLimit: 100, field: `${prefix}.cursorPaging` });
    let current: CursorState;
    if (typeof cursorPaging.cursor === 'string' && cursorPaging.cursor !== '') {
      current = fromCursor(cursorPaging.cursor, `${prefix}.cursorPaging.cursor`);
    } else {
      const search = prefix === 'search' ? readSearchRequest(req, SEARCHABLE) : undefined;
      current = { filter: q.filter, sort: q.sort, search, offset: 0 };
    }
    const { items, pagingMetadata } = cursorPage(selection(state, current.filter, current.sort, current.search, prefix), current, limit, toCursor);
    return { json: { products: items.map((p) => projectV3Product(p, fields, 'list')), pagingMetadata } };
  });
}

function countProducts(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V3_CATALOG');
  const body = bodyObject(req);
  return withQueryErrors(() => ({ json: { count: selection(state, body.filter, undefined, readTextSearch(body.search, SEARCHABLE, 'search'), 'query').length } }));
}

function getProduct(state: EmulatorState, req: EmulatorRequest, by: 'id' | 'slug'): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V3_CATALOG');
  const fields = requestedFields(req, 'productsV3Get');
  const index = state.productsV3;
  const key = by === 'id' ? req.params.productId! : req.params.slug!;
  const product = by === 'id' ? index.byId.get(key) : index.bySlug.get(key);
  if (!product || product.visible === false) throw entityNotFound();
  return { json: { product: projectV3Product(product, fields, 'get') } };
}

/** One variant of the catalogue as Query Variants filters and sorts it: the fields its spec declares, and where it came from. */
interface VariantEntry {
  id: string;
  variantId: string;
  productData: { productId: string };
  product: V3Product;
  variant: ReturnType<typeof productVariantsOf>[number];
  /** Its place in the catalogue order (products in order, each product's variants in its order). */
  position: number;
}

interface VariantIndex {
  all: VariantEntry[];
  byProduct: Map<string, VariantEntry[]>;
}

/** The variants of the visible products (a visitor reads no hidden product, so none of its variants), built once. */
function variantIndex(state: EmulatorState): VariantIndex {
  return state.memo('variantsV3', () => {
    const all: VariantEntry[] = [];
    const byProduct = new Map<string, VariantEntry[]>();
    for (const product of state.productsV3.visible) {
      const entries = productVariantsOf(product).map((variant, i) => ({ id: variant.id, variantId: variant.id, productData: { productId: product.id }, product, variant, position: all.length + i }));
      all.push(...entries);
      byProduct.set(product.id, entries);
    }
    return { all, byProduct };
  });
}

/** The product ids of a filter that only names products (`{"productData.productId": id | {$eq|$in}}`), as storefronts send it. */
function productIdsOnly(filter: unknown): string[] | undefined {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return undefined;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== 'productData.productId') return undefined;
  const cond = (filter as Record<string, unknown>)['productData.productId'];
  if (typeof cond === 'string') return [cond];
  if (typeof cond !== 'object' || cond === null || Array.isArray(cond) || Object.keys(cond).length !== 1) return undefined;
  const { $eq, $in } = cond as { $eq?: unknown; $in?: unknown };
  if (typeof $eq === 'string') return [$eq];
  if (Array.isArray($in) && $in.every((v) => typeof v === 'string')) return $in as string[];
  return undefined;
}

function selectVariants(state: EmulatorState, filter: unknown, sort: unknown): VariantEntry[] {
  const index = variantIndex(state);
  const ids = productIdsOnly(filter);
  let selected: VariantEntry[];
  if (ids) {
    // The common case (a page of products' variants) without a scan of the catalogue; same answer as the filter.
    selected = [...new Set(ids)].flatMap((id) => index.byProduct.get(id) ?? []).sort((a, b) => a.position - b.position);
  } else {
    const predicate = compileFilter(filter, 'query.filter');
    selected = index.all.filter(predicate);
  }
  return sort === undefined ? selected : sortItems(selected, sort, 'query.sort');
}

/**
 * Query Variants (`POST /stores/v3/products/query-variants`, Read-Only Variants V3): cursor pages of up to 1,000
 * (`CursorPaging.limit` "@max 1000"), filter and sort on `_id`, `productData.productId` and `variantId` only
 * (`ReadOnlyVariantQuerySpec`); a next page sends only its cursor, which carries the query.
 */
function queryVariants(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V3_CATALOG');
  const fields = requestedFields(req, 'variantsV3Query');
  const q = readQuery(req, 'query');
  enforceQuerySpec('variantsV3Query', q.filter, q.sort, 'query');
  const cursorPaging = (typeof q.cursorPaging === 'object' && q.cursorPaging !== null ? q.cursorPaging : {}) as { limit?: unknown; cursor?: unknown };
  return withQueryErrors(() => {
    const { limit } = resolveOffsetPaging({ limit: cursorPaging.limit }, { defaultLimit: 100, maxLimit: 1000, field: 'query.cursorPaging' });
    const current: CursorState =
      typeof cursorPaging.cursor === 'string' && cursorPaging.cursor !== ''
        ? fromCursor(cursorPaging.cursor, 'query.cursorPaging.cursor')
        : { filter: q.filter, sort: q.sort, offset: 0 };
    const { items, pagingMetadata } = cursorPage(selectVariants(state, current.filter, current.sort), current, limit, toCursor);
    return { json: { variants: items.map((e) => toReadOnlyVariant(e.product, e.variant, fields)), pagingMetadata } };
  });
}

/** Registers the Catalog V3 product routes. */
export function registerStoresV3Routes(router: Router, state: EmulatorState): void {
  const base = '/stores/v3/products';
  router.add(['GET', 'POST'], `${base}/query`, (req) => cursorQuery(state, req, 'query'));
  router.add(['GET', 'POST'], `${base}/search`, (req) => cursorQuery(state, req, 'search'));
  router.add(['GET', 'POST'], `${base}/count`, (req) => countProducts(state, req));
  // Read-Only Variants V3: the SDK sends POST with a JSON body (@wix/auto_sdk_stores_read-only-variants-v-3).
  router.add('POST', `${base}/query-variants`, (req) => queryVariants(state, req));
  router.add('GET', `${base}/slug/:slug`, (req) => getProduct(state, req, 'slug'));
  router.add('GET', `${base}/:productId`, (req) => getProduct(state, req, 'id'));
}
