/** The hand-written data file (`--data FILE`; the schema is in the emulator's README section): checked, then filled in with Wix's defaults (slugs, prices, dates, locations). */
import { countCollectionProducts, formatMoney } from '../catalog.js';
import { parseDataCollections } from '../cms.js';
import { parseEcomSettings } from '../carts.js';
import {
  ALL_PRODUCTS_COLLECTION_ID,
  BOOKINGS_APP_ID,
  type BookingsService,
  type SiteData,
  type StoreCategory,
  type V1Collection,
  type V1Product,
} from '../types.js';
import { isObject, unique, type Checker, type Json } from './checker.js';
import { authorizeRedirectOf, catalogSwitchesOf, catalogVersionOf, guidFrom, loadSchedules, loadStaff, SERVICE_TYPES } from './common.js';

function slugify(text: string): string {
  return text.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'item';
}

const DEFAULT_CREATED = '2024-01-01T00:00:00.000Z';

function loadProduct(raw: unknown, i: number, c: Checker, currency: string, siteUrl: string, slugs: Set<string>): V1Product {
  const where = `products[${i}]`;
  // categoryIds place the product in the category tree; they are not part of the V1 wire shape.
  const { categoryIds: _categoryIds, ...p } = c.object(raw, where);
  const id = c.string(p, 'id', where, true);
  const name = c.string(p, 'name', where, true);
  let slug = c.string(p, 'slug', where) ?? slugify(name);
  if (slugs.has(slug)) {
    if (p.slug !== undefined) c.fail(`${where}.slug`, `duplicate slug ${slug}`);
    let n = 2;
    while (slugs.has(`${slug}-${n}`)) n++;
    slug = `${slug}-${n}`;
  }
  slugs.add(slug);
  const visible = c.boolean(p, 'visible', where) ?? true;
  const numericId = c.string(p, 'numericId', where) ?? String(1_700_000_000_000_000 + i * 1000);
  if (!/^\d+$/.test(numericId)) c.fail(`${where}.numericId`, 'expected a string of digits');
  const collectionIds = c.stringArray(p, 'collectionIds', where) ?? [];
  if (!collectionIds.includes(ALL_PRODUCTS_COLLECTION_ID)) collectionIds.unshift(ALL_PRODUCTS_COLLECTION_ID);
  // `price` may be given as a plain number for convenience; the wire shape is an object.
  const priceKey = p.priceData !== undefined ? 'priceData' : 'price';
  let priceData = p[priceKey];
  if (priceData !== undefined && typeof priceData !== 'number' && !isObject(priceData)) {
    c.fail(`${where}.${priceKey}`, 'expected a number or an object {price, discountedPrice, currency}');
  }
  if (typeof priceData === 'number') {
    priceData = { currency, price: priceData, discountedPrice: priceData, formatted: { price: formatMoney(priceData, currency), discountedPrice: formatMoney(priceData, currency) } };
  }
  if (priceData !== undefined) {
    const pd = c.object(priceData, `${where}.${priceKey}`);
    if (typeof pd.price !== 'number' || pd.price < 0) c.fail(`${where}.${priceKey}.price`, 'expected a non-negative number');
    if (pd.discountedPrice !== undefined && typeof pd.discountedPrice !== 'number') c.fail(`${where}.${priceKey}.discountedPrice`, 'expected a number');
    pd.currency ??= currency;
    pd.discountedPrice ??= pd.price;
    pd.formatted ??= { price: formatMoney(pd.price as number, String(pd.currency)), discountedPrice: formatMoney(pd.discountedPrice as number, String(pd.currency)) };
  }
  if (p.stock !== undefined) {
    const stock = c.object(p.stock, `${where}.stock`);
    const status = stock.inventoryStatus;
    if (status !== undefined && status !== 'IN_STOCK' && status !== 'OUT_OF_STOCK' && status !== 'PARTIALLY_OUT_OF_STOCK') {
      c.fail(`${where}.stock.inventoryStatus`, 'expected IN_STOCK, OUT_OF_STOCK or PARTIALLY_OUT_OF_STOCK');
    }
  }
  if (p.productOptions !== undefined) {
    const options = p.productOptions;
    if (!Array.isArray(options)) c.fail(`${where}.productOptions`, 'expected an array');
    options.forEach((o, oi) => {
      const opt = c.object(o, `${where}.productOptions[${oi}]`);
      c.string(opt, 'name', `${where}.productOptions[${oi}]`, true);
      if (!Array.isArray(opt.choices)) c.fail(`${where}.productOptions[${oi}].choices`, 'expected an array');
      opt.optionType ??= 'drop_down';
      opt.choices = (opt.choices as unknown[]).map((ch, ci) => {
        const choice = c.object(ch, `${where}.productOptions[${oi}].choices[${ci}]`);
        const description = c.string(choice, 'description', `${where}.productOptions[${oi}].choices[${ci}]`) ?? c.string(choice, 'value', `${where}.productOptions[${oi}].choices[${ci}]`, true);
        return { value: choice.value ?? description, description, inStock: choice.inStock ?? true, visible: choice.visible ?? true, ...choice };
      });
    });
  }
  const created = c.string(p, 'createdDate', where) ?? DEFAULT_CREATED;
  if (Number.isNaN(Date.parse(created))) c.fail(`${where}.createdDate`, 'expected an ISO date');
  const ribbon = c.string(p, 'ribbon', where);
  return {
    productType: 'physical',
    description: '',
    stock: { trackInventory: false, inStock: true, inventoryStatus: 'IN_STOCK' },
    ...(priceData !== undefined && { price: priceData, priceData, convertedPriceData: priceData }),
    discount: { type: 'NONE', value: 0 },
    ribbons: ribbon ? [{ text: ribbon }] : [],
    media: { items: [] },
    customTextFields: [],
    manageVariants: false,
    productOptions: [],
    productPageUrl: { base: siteUrl, path: `/product-page/${slug}` },
    additionalInfoSections: [],
    lastUpdated: created,
    ...p,
    id,
    name,
    slug,
    visible,
    numericId,
    collectionIds,
    createdDate: created,
  };
}

function loadCollection(raw: unknown, i: number, c: Checker): V1Collection {
  const where = `collections[${i}]`;
  const col = c.object(raw, where);
  const id = c.string(col, 'id', where, true);
  const name = c.string(col, 'name', where, true);
  const visible = c.boolean(col, 'visible', where) ?? true;
  return { description: '', ...col, id, name, slug: c.string(col, 'slug', where) ?? slugify(name), visible };
}

/** Wix Categories limits: 1,000 categories per tree, up to 5 levels (https://dev.wix.com/docs/rest/business-management/categories/introduction). */
const MAX_CATEGORIES = 1000;
const MAX_CATEGORY_DEPTH = 5;

function loadCategory(raw: unknown, i: number, c: Checker): StoreCategory {
  const where = `categories[${i}]`;
  const o = c.object(raw, where);
  const id = c.string(o, 'id', where, true);
  const name = c.string(o, 'name', where, true);
  const parentId = c.string(o, 'parentId', where);
  const description = c.string(o, 'description', where);
  const created = c.string(o, 'createdDate', where) ?? DEFAULT_CREATED;
  if (Number.isNaN(Date.parse(created))) c.fail(`${where}.createdDate`, 'expected an ISO date');
  return {
    id,
    name,
    slug: c.string(o, 'slug', where) ?? slugify(name),
    visible: c.boolean(o, 'visible', where) ?? true,
    ...(parentId && { parentId }),
    ...(description && { description }),
    createdDate: created,
    updatedDate: created,
  };
}

/** Checks the tree: unique ids and slugs, known parents, no cycles, at most 5 levels, no visible child of a hidden parent. */
function checkCategoryTree(categories: StoreCategory[], raw: unknown[], c: Checker): void {
  if (categories.length > MAX_CATEGORIES) c.fail('categories', `at most ${MAX_CATEGORIES} categories in a tree (got ${categories.length})`);
  unique(categories, (x) => x.id, c, 'categories');
  const slugs = new Set<string>();
  const byId = new Map(categories.map((x) => [x.id, x]));
  categories.forEach((x, i) => {
    if (slugs.has(x.slug)) c.fail(`categories[${i}].slug`, `duplicate slug ${x.slug}`);
    slugs.add(x.slug);
    if (x.parentId === undefined) return;
    const parent = byId.get(x.parentId);
    if (!parent) c.fail(`categories[${i}].parentId`, `unknown category id ${x.parentId}`);
    // "Setting a subcategory's visibility to true fails if any of its parent categories are hidden" (SDK Category.visible).
    if ((raw[i] as { visible?: unknown }).visible === true && !parent.visible) c.fail(`categories[${i}].visible`, `cannot be true under the hidden category ${parent.id}`);
    let depth = 1;
    for (let up: StoreCategory | undefined = parent; up; up = up.parentId === undefined ? undefined : byId.get(up.parentId)) {
      if (up.id === x.id) c.fail(`categories[${i}].parentId`, `makes a cycle through category ${x.id}`);
      if (++depth > MAX_CATEGORY_DEPTH) c.fail(`categories[${i}].parentId`, `nests the category deeper than ${MAX_CATEGORY_DEPTH} levels`);
    }
  });
}

/** Each product's `categoryIds`: known categories, no repeats. */
function loadProductCategories(rawProducts: unknown[], products: V1Product[], categoryIds: Set<string>, c: Checker): Record<string, string[]> {
  const placed: Record<string, string[]> = {};
  rawProducts.forEach((raw, i) => {
    const ids = c.stringArray(raw as Json, 'categoryIds', `products[${i}]`);
    if (!ids) return;
    ids.forEach((id, j) => {
      if (!categoryIds.has(id)) c.fail(`products[${i}].categoryIds[${j}]`, `unknown category id ${id} (list it under "categories")`);
      if (ids.indexOf(id) !== j) c.fail(`products[${i}].categoryIds[${j}]`, `duplicate category id ${id}`);
    });
    placed[products[i]!.id] = ids;
  });
  return placed;
}

const LOCATION_TYPES = new Set(['BUSINESS', 'CUSTOM', 'CUSTOMER']);

/** A service location in the Services V2 shape (@wix/auto_sdk_bookings_services `V2Location`); `id` defaults to the business id. */
function loadServiceLocation(raw: unknown, where: string, c: Checker): Json {
  const l = c.object(raw, where);
  const type = c.string(l, 'type', where) ?? (l.business !== undefined ? 'BUSINESS' : 'CUSTOM');
  if (!LOCATION_TYPES.has(type)) c.fail(`${where}.type`, 'expected BUSINESS, CUSTOM or CUSTOMER');
  if (type !== 'BUSINESS') return { ...l, type };
  if (l.business === undefined) c.fail(`${where}.business`, 'is required for a BUSINESS location ({id, name, address})');
  const business = c.object(l.business, `${where}.business`);
  const id = c.string(business, 'id', `${where}.business`, true);
  c.string(business, 'name', `${where}.business`);
  if (business.address !== undefined) {
    const address = c.object(business.address, `${where}.business.address`);
    c.string(address, 'formattedAddress', `${where}.business.address`);
  }
  return { ...l, id: c.string(l, 'id', where) ?? id, type };
}

function loadService(raw: unknown, i: number, c: Checker, staffIds: Set<string>): BookingsService {
  const where = `services[${i}]`;
  const s = c.object(raw, where);
  const id = c.string(s, 'id', where, true);
  const name = c.string(s, 'name', where, true);
  const type = c.string(s, 'type', where, true);
  if (!SERVICE_TYPES.has(type)) c.fail(`${where}.type`, 'expected APPOINTMENT, CLASS or COURSE');
  const staffMemberIds = c.stringArray(s, 'staffMemberIds', where) ?? [];
  staffMemberIds.forEach((sid, si) => {
    if (!staffIds.has(sid)) c.fail(`${where}.staffMemberIds[${si}]`, `unknown staff member id ${sid} (list it under "staff")`);
  });
  const hidden = c.boolean(s, 'hidden', where) ?? false;
  const appId = c.string(s, 'appId', where) ?? BOOKINGS_APP_ID;
  let locations: Json[] = [];
  if (s.locations !== undefined) {
    if (!Array.isArray(s.locations)) c.fail(`${where}.locations`, 'expected an array of locations');
    locations = s.locations.map((l, li) => loadServiceLocation(l, `${where}.locations[${li}]`, c));
    const ids = locations.map((l) => l.id).filter((lid) => lid !== undefined);
    if (new Set(ids).size !== ids.length) c.fail(`${where}.locations`, 'lists a business location twice');
  }
  const slug = slugify(name);
  return {
    defaultCapacity: type === 'APPOINTMENT' ? 1 : 10,
    payment: { rateType: 'NO_FEE', options: { online: false, inPerson: true } },
    onlineBooking: { enabled: true },
    schedule: { id: guidFrom(`${id}/schedule`), availabilityConstraints: { sessionDurations: [60] } },
    mainSlug: { name: slug, custom: false },
    supportedSlugs: [{ name: slug, custom: false }],
    createdDate: DEFAULT_CREATED,
    updatedDate: DEFAULT_CREATED,
    revision: '1',
    ...s,
    id,
    name,
    type: type as BookingsService['type'],
    staffMemberIds,
    hidden,
    appId,
    locations,
  };
}

/** A data file's site: the parts only a hand-written file has, read after the common ones (`parseSiteData`). */
export function parseDataFile(root: Json, c: Checker, common: Pick<SiteData, 'clients' | 'members' | 'currency' | 'timeZone' | 'siteUrl'>): SiteData {
  const { clients, members, currency, timeZone, siteUrl } = common;
  const slugs = new Set<string>();
  const rawProducts = c.array(root, 'products', false);
  const products = rawProducts.map((r, i) => loadProduct(r, i, c, currency, siteUrl, slugs));
  unique(products, (p) => p.id, c, 'products');
  const rawCategories = c.array(root, 'categories', false);
  const categories = rawCategories.map((r, i) => loadCategory(r, i, c));
  checkCategoryTree(categories, rawCategories, c);
  const productCategoryIds = loadProductCategories(rawProducts, products, new Set(categories.map((x) => x.id)), c);
  const collections = c.array(root, 'collections', false).map((r, i) => loadCollection(r, i, c));
  if (!collections.some((col) => col.id === ALL_PRODUCTS_COLLECTION_ID)) {
    collections.unshift({ id: ALL_PRODUCTS_COLLECTION_ID, name: 'All Products', slug: 'all-products', visible: true, description: '' });
  }
  unique(collections, (col) => col.id, c, 'collections');
  countCollectionProducts(collections, products);
  const staff = c.array(root, 'staff', false).map((r, i) => loadStaff(r, i, c));
  const staffIds = new Set(staff.map((s) => s.id));
  const services = c.array(root, 'services', false).map((r, i) => loadService(r, i, c, staffIds));
  unique(services, (s) => s.id, c, 'services');
  const schedules = loadSchedules(root, c);
  return {
    catalogVersion: catalogVersionOf(root.catalogVersion, c),
    clients,
    members,
    products,
    collections,
    // A file without a tree serves its collections as categories on a V3 site (see siteCategories).
    ...(root.categories !== undefined && { categories, productCategoryIds }),
    services,
    staff,
    schedules,
    timeZone,
    ...(c.boolean(root, 'captchaRequired', '(top level)') && { captchaRequired: true }),
    ...(root.authorizeRedirect !== undefined && { authorizeRedirect: authorizeRedirectOf(root.authorizeRedirect, c) }),
    ...catalogSwitchesOf(root, c),
    currency,
    siteUrl,
    // The CMS (docs/reference.md 7.3): Wix Data collections and their items.
    ...(root.dataCollections !== undefined && { dataCollections: parseDataCollections(root.dataCollections, (field, problem) => c.fail(field, problem)) }),
    ...(root.ecom !== undefined && { ecom: parseEcomSettings(root.ecom, (field, problem) => c.fail(field, problem)) }),
  };
}
