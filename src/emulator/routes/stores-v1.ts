import { applicationError, bodyObject, entityNotFound, HttpError, invalidField, permissionDenied, type EmulatorRequest, type Reply } from '../http.js';
import { offsetPage, QueryCache, renameFilterFields, renameSortFields, resolveOffsetPaging } from '../query-engine.js';
import { enforceQuerySpec } from '../query-spec-guard.js';
import type { Router } from '../router.js';
import type { EmulatorState, EntityIndex } from '../state.js';
import { choiceCombinations, optionNames, productVariants } from '../site/catalog.js';
import type { V1Collection, V1Product } from '../site/types.js';
import { flag, readQuery, requireCatalog, withQueryErrors } from './common.js';

/** Stores Catalog V1 reader routes (docs/wix-api.md 2.0 to 2.4). */

/** Stores' offset ceiling: offset + limit may not pass 10,000 (keyset paging on numericId goes further). */
const PRODUCTS_MAX_WINDOW = 10_000;

// In the Wix Stores search schema `price` is the number (priceData.price).
const PRODUCT_ALIASES = { price: 'priceData.price' } as const;

function denyMerchantFlags(req: EmulatorRequest): void {
  if (flag(req, 'includeHiddenProducts')) permissionDeniedFor('includeHiddenProducts');
  if (flag(req, 'includeMerchantSpecificData')) permissionDeniedFor('includeMerchantSpecificData');
}

/**
 * A visitor's or member's 403 from the catalog version endpoint, as Wix's platformized services send permission
 * refusals: code PERMISSION_DENIED and an empty description (wix/skills pull request 1119; docs/wix-api.md 2.0).
 */
function versionPermissionDenied(): HttpError {
  return applicationError(403, 'PERMISSION_DENIED', '', { message: 'PERMISSION_DENIED' });
}

function permissionDeniedFor(what: string): never {
  // Visitor and member tokens lack WIX_STORES.MANAGE_PRODUCTS (docs/wix-api.md 6).
  throw permissionDenied(`${what} requires the Manage Products permission; visitor and member tokens do not have it`);
}

/** What a V1 reader route reads: the site's catalogue, or the reader shim's. */
interface V1Reader {
  products: EntityIndex<V1Product>;
  collections: EntityIndex<V1Collection>;
}

/**
 * The catalogue a `/stores-reader/v1` products or collections route serves: the site's on a V1 site; on a V3 site
 * with the reader shim on, the shim's stale template catalogue (200, as two live probes saw; docs/wix-api.md 2.0);
 * otherwise the 428 real sites send.
 */
function v1Reader(state: EmulatorState): V1Reader {
  if (state.site.catalogVersion === 'V3_CATALOG' && state.settings.v1ReaderShim) return state.readerShim;
  requireCatalog(state, 'V1_CATALOG');
  return { products: state.products, collections: state.collections };
}

function withVariants(product: V1Product, include: boolean): V1Product {
  return include ? { ...product, variants: productVariants(product) } : product;
}

function queryProducts(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const reader = v1Reader(state);
  denyMerchantFlags(req);
  const q = readQuery(req);
  if (q.cursorPaging !== undefined) throw invalidField('query.cursorPaging', 'is not supported here; use query.paging {limit, offset}');
  enforceQuerySpec('productsV1', q.filter, q.sort, 'query');
  return withQueryErrors(() => {
    const paging = resolveOffsetPaging(q.paging, { maxWindow: PRODUCTS_MAX_WINDOW });
    const selection = reader.products.cache.select(renameFilterFields(q.filter, PRODUCT_ALIASES), renameSortFields(q.sort, PRODUCT_ALIASES));
    const page = offsetPage(selection, paging);
    const includeVariants = flag(req, 'includeVariants');
    return { json: { products: page.items.map((p) => withVariants(p, includeVariants)), metadata: page.metadata } };
  });
}

/** The legacy `POST /stores-reader/v1/products/query` (filter and sort as JSON strings, legacy metadata). */
function queryProductsLegacy(req: EmulatorRequest, reader: V1Reader): Reply {
  denyMerchantFlags(req);
  const q = readQuery(req);
  return withQueryErrors(() => {
    const paging = resolveOffsetPaging(q.paging, { defaultLimit: 100, maxWindow: PRODUCTS_MAX_WINDOW });
    const selection = reader.products.cache.select(renameFilterFields(q.filter, PRODUCT_ALIASES), renameSortFields(q.sort, PRODUCT_ALIASES));
    const page = offsetPage(selection, paging);
    const includeVariants = flag(req, 'includeVariants');
    return {
      json: { products: page.items.map((p) => withVariants(p, includeVariants)), metadata: { items: paging.limit, offset: paging.offset }, totalResults: selection.length },
    };
  });
}

function visibleProduct(products: EntityIndex<V1Product>, id: string): V1Product {
  const product = products.byId.get(id);
  if (!product || product.visible === false) throw entityNotFound();
  return product;
}

function getProduct(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const reader = v1Reader(state);
  denyMerchantFlags(req);
  return { json: { product: visibleProduct(reader.products, req.params.id!) } };
}

function queryProductVariants(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V1_CATALOG');
  denyMerchantFlags(req);
  const product = visibleProduct(state.products, req.params.id!);
  const body = bodyObject(req);
  const choices = (typeof body.choices === 'object' && body.choices !== null ? body.choices : {}) as Record<string, unknown>;
  const variantIds = Array.isArray(body.variantIds) ? body.variantIds.map(String) : undefined;
  return withQueryErrors(() => {
    const paging = resolveOffsetPaging(body.paging, { defaultLimit: 100, maxLimit: 1000, field: 'paging' });
    const matching = productVariants(product).filter((v) => {
      const vc = v.choices as Record<string, string>;
      if (variantIds && variantIds.length > 0 && !variantIds.includes(String(v.id))) return false;
      return Object.entries(choices).every(([name, value]) => vc[name] === value);
    });
    const page = matching.slice(paging.offset, paging.offset + paging.limit);
    // This endpoint keeps the legacy metadata shape; the SDK returns it as-is (docs/wix-api.md 2.3).
    return { json: { variants: page, metadata: { items: page.length, offset: paging.offset }, totalResults: matching.length } };
  });
}

/** Store variants (`{productId}-{variantId}`) of the visible products, built on first use. */
function storeVariantIndex(state: EmulatorState): { byId: Map<string, Record<string, unknown>>; cache: QueryCache<Record<string, unknown>> } {
  return state.memo('storeVariants', () => buildStoreVariants(state));
}

function buildStoreVariants(state: EmulatorState): { byId: Map<string, Record<string, unknown>>; cache: QueryCache<Record<string, unknown>> } {
  const list: Record<string, unknown>[] = [];
  for (const product of state.products.visible) {
    const media = product.media as { mainMedia?: unknown } | undefined;
    for (const v of productVariants(product)) {
      const choices = v.choices as Record<string, string>;
      const variantName = Object.values(choices).join(' / ');
      const stock = v.stock as Record<string, unknown>;
      list.push({
        id: `${product.id}-${String(v.id)}`,
        variantId: v.id,
        productId: product.id,
        variantName,
        productName: product.name,
        managedVariant: Boolean(product.manageVariants),
        sku: (v.variant as { sku?: string }).sku,
        stock: { trackQuantity: stock.trackQuantity, quantity: stock.quantity, inStock: stock.inStock },
        choices,
        collectionIds: product.collectionIds,
        media: media?.mainMedia ? { images: [media.mainMedia] } : undefined,
        preorderInfo: { enabled: false },
      });
    }
  }
  return { byId: new Map(list.map((v) => [String(v.id), v])), cache: new QueryCache(list) };
}

function queryStoreVariants(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V1_CATALOG');
  const q = readQuery(req);
  return withQueryErrors(() => {
    const paging = resolveOffsetPaging(q.paging, { defaultLimit: 100 });
    const page = offsetPage(storeVariantIndex(state).cache.select(q.filter, q.sort), paging);
    return { json: { variants: page.items, metadata: page.metadata } };
  });
}

function getStoreVariant(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V1_CATALOG');
  const id = req.params.id!;
  // The typings say "{productId}-{variantId}" and also "{productId}.{variantId}"; accept both (docs/wix-api.md 2.3).
  const normalized = id.length > 37 && id[36] === '.' ? `${id.slice(0, 36)}-${id.slice(37)}` : id;
  const variant = storeVariantIndex(state).byId.get(normalized);
  if (!variant) throw entityNotFound();
  return { json: { variant } };
}

function productOptionsAvailability(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireCatalog(state, 'V1_CATALOG');
  const product = visibleProduct(state.products, req.params.id!);
  const options = (bodyObject(req).options ?? {}) as Record<string, string>;
  const variants = productVariants(product);
  const combos = choiceCombinations(product);
  const names = optionNames(product);
  const complete = names.every((n) => typeof options[n] === 'string');
  const index = complete ? combos.findIndex((c) => names.every((n) => c[n] === options[n])) : -1;
  const selected = index >= 0 ? variants[index] : undefined;
  const media = product.media as { mainMedia?: unknown; items?: unknown[] } | undefined;
  return {
    json: {
      ...(selected && { selectedVariant: { id: selected.id, ...(selected.variant as object), inStock: (selected.stock as { inStock: boolean }).inStock } }),
      availableForPurchase: Boolean(selected && (selected.stock as { inStock: boolean }).inStock && product.visible !== false),
      productOptions: product.productOptions,
      mainMedia: media?.mainMedia,
      media: media?.items ?? [],
    },
  };
}

function queryCollections(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const reader = v1Reader(state);
  const q = readQuery(req);
  enforceQuerySpec('collectionsV1', q.filter, q.sort, 'query');
  return withQueryErrors(() => {
    const paging = resolveOffsetPaging(q.paging);
    const page = offsetPage(reader.collections.cache.select(q.filter, q.sort), paging);
    return { json: { collections: page.items, metadata: page.metadata } };
  });
}

function getCollection(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const collection = v1Reader(state).collections.byId.get(req.params.id!);
  if (!collection || collection.visible === false) throw entityNotFound();
  return { json: { collection } };
}

function getCollectionBySlug(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const collection = v1Reader(state).collections.bySlug.get(req.params.slug!);
  if (!collection || collection.visible === false) throw entityNotFound();
  return { json: { collection } };
}

/** Registers the catalog-version route and the Catalog V1 reader routes. */
export function registerStoresV1Routes(router: Router, state: EmulatorState): void {
  router.add('GET', '/stores/v3/provision/version', (req) => {
    state.authenticate(req);
    const refusal = state.settings.refuseVersionEndpoint;
    // Every emulator token is a visitor's or a member's: with the switch on, none may read the version.
    if (refusal === 403) throw versionPermissionDenied();
    if (refusal === 404) throw entityNotFound();
    return { json: { catalogVersion: state.site.catalogVersion } };
  });
  const r = '/stores-reader/v1';
  router.add(['GET', 'POST'], `${r}/products/query-platformized`, (req) => queryProducts(state, req));
  router.add('POST', `${r}/products/query`, (req) => {
    state.authenticate(req);
    return queryProductsLegacy(req, v1Reader(state));
  });
  // The V1 writer's Query Products (REST): on a V3 site it answers 428 whatever the reader shim does.
  router.add('POST', '/stores/v1/products/query', (req) => {
    state.authenticate(req);
    requireCatalog(state, 'V1_CATALOG');
    return queryProductsLegacy(req, { products: state.products, collections: state.collections });
  });
  router.add('POST', `${r}/products/:id/variants/query`, (req) => queryProductVariants(state, req));
  router.add('POST', `${r}/products/:id/productOptionsAvailability`, (req) => productOptionsAvailability(state, req));
  router.add('GET', `${r}/products/:id`, (req) => getProduct(state, req));
  router.add('POST', `${r}/variants/query`, (req) => queryStoreVariants(state, req));
  router.add('GET', `${r}/variants/:id`, (req) => getStoreVariant(state, req));
  for (const base of [`${r}/collections`, '/v2/collections']) {
    router.add(['GET', 'POST'], `${base}/query`, (req) => queryCollections(state, req));
    router.add('GET', `${base}/slug/:slug`, (req) => getCollectionBySlug(state, req));
    router.add('GET', `${base}/:id`, (req) => getCollection(state, req));
  }
}
