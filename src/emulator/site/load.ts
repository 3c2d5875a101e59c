import { readFileSync } from 'node:fs';
import { countCollectionProducts, formatMoney } from './catalog.js';
import { parseDataCollections } from './cms.js';
import { parseEcomSettings } from './carts.js';
import { createRandom, hashString, randomGuid } from './random.js';
import { DEMO_MEMBERS } from './generate.js';
import {
  ALL_PRODUCTS_COLLECTION_ID,
  AUTHORIZE_REDIRECTS,
  SNAPSHOT_FORMAT_VERSION,
  BOOKINGS_APP_ID,
  type AuthorizeRedirect,
  type BookingsService,
  type CatalogVersion,
  type MemberStatus,
  type ServiceSchedule,
  type SiteClient,
  type SiteData,
  type SiteMember,
  type StaffMember,
  type SnapshotSource,
  type StoreCategory,
  type V1Collection,
  type V1Product,
  type WireCategory,
  type WireV3Product,
} from './types.js';

/** Loads and validates a site from JSON (`--data FILE`); the schema is in the emulator's README section. */

/** A data file that cannot be used; the message names the file and the bad field on one line. */
export class SiteDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteDataError';
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  constructor(private readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new SiteDataError(`${this.source}: ${field}: ${problem}`);
  }

  string(obj: Json, key: string, where: string, required: true): string;
  string(obj: Json, key: string, where: string, required?: false): string | undefined;
  string(obj: Json, key: string, where: string, required = false): string | undefined {
    const v = obj[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') this.fail(`${where}.${key}`, v === undefined ? 'is required' : 'expected a non-empty string');
    return v;
  }

  boolean(obj: Json, key: string, where: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`${where}.${key}`, 'expected true or false');
    return v;
  }

  stringArray(obj: Json, key: string, where: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(`${where}.${key}`, 'expected an array of strings');
    return v as string[];
  }

  array(root: Json, key: string, required: boolean): unknown[] {
    const v = root[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) this.fail(key, v === undefined ? 'is required' : 'expected an array');
    return v;
  }

  object(v: unknown, where: string): Json {
    if (!isObject(v)) this.fail(where, 'expected an object');
    return v;
  }
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'item';
}

function guidFrom(text: string): string {
  return randomGuid(createRandom(hashString(text)));
}

function unique<T>(items: T[], key: (t: T) => string, c: Checker, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) c.fail(`${what}[${i}].id`, `duplicate id ${k}`);
    seen.add(k);
  });
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

const SERVICE_TYPES = new Set(['APPOINTMENT', 'CLASS', 'COURSE']);
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

const MEMBER_STATUSES = new Set<MemberStatus>(['ACTIVE', 'PENDING_EMAIL_VERIFICATION', 'PENDING_OWNER_APPROVAL']);

function loadMember(raw: unknown, i: number, c: Checker): SiteMember {
  const where = `members[${i}]`;
  const m = c.object(raw, where);
  const email = c.string(m, 'email', where, true);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) c.fail(`${where}.email`, 'expected an email address');
  const password = c.string(m, 'password', where, true);
  const status = (c.string(m, 'status', where) ?? 'ACTIVE') as MemberStatus;
  if (!MEMBER_STATUSES.has(status)) c.fail(`${where}.status`, 'expected ACTIVE, PENDING_EMAIL_VERIFICATION or PENDING_OWNER_APPROVAL');
  const captchaRequired = c.boolean(m, 'captchaRequired', where);
  const name = c.string(m, 'name', where);
  return { id: c.string(m, 'id', where) ?? guidFrom(`member/${email.toLowerCase()}`), email, password, status, ...(captchaRequired && { captchaRequired }), ...(name && { name }) };
}

function loadClient(raw: unknown, i: number, c: Checker): SiteClient {
  if (typeof raw === 'string') {
    if (raw.trim() === '') c.fail(`clientIds[${i}]`, 'expected a non-empty string');
    return { id: raw };
  }
  const where = `clientIds[${i}]`;
  const o = c.object(raw, where);
  const id = c.string(o, 'id', where, true);
  const redirectUris = c.stringArray(o, 'redirectUris', where);
  redirectUris?.forEach((u, ui) => {
    try {
      new URL(u);
    } catch {
      c.fail(`${where}.redirectUris[${ui}]`, 'expected an absolute URL');
    }
  });
  const name = c.string(o, 'name', where);
  return { id, ...(name && { name }), ...(redirectUris && { redirectUris }) };
}

function loadStaff(raw: unknown, i: number, c: Checker): StaffMember {
  const where = `staff[${i}]`;
  const s = c.object(raw, where);
  const id = c.string(s, 'id', where, true);
  const name = c.string(s, 'name', where, true);
  let workingHours: StaffMember['workingHours'];
  if (s.workingHours !== undefined) {
    const wh = c.object(s.workingHours, `${where}.workingHours`);
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 24;
    if (!ok(wh.start) || !ok(wh.end) || (wh.start as number) >= (wh.end as number)) {
      c.fail(`${where}.workingHours`, 'expected {start, end} whole hours with 0 <= start < end <= 24');
    }
    workingHours = { start: wh.start as number, end: wh.end as number };
  }
  return { id, name, ...(workingHours && { workingHours }) };
}

function loadSchedules(root: Json, c: Checker): Record<string, ServiceSchedule> {
  const schedules: Record<string, ServiceSchedule> = {};
  if (root.schedules !== undefined) {
    const raw = c.object(root.schedules, 'schedules');
    for (const [serviceId, value] of Object.entries(raw)) {
      const where = `schedules.${serviceId}`;
      const s = c.object(value, where);
      if (typeof s.minutes !== 'number' || !Number.isInteger(s.minutes) || s.minutes <= 0) c.fail(`${where}.minutes`, 'expected a positive whole number of minutes');
      schedules[serviceId] = s as unknown as ServiceSchedule;
    }
  }
  return schedules;
}

function catalogVersionOf(value: unknown, c: Checker): CatalogVersion {
  if (value === undefined) return 'V1_CATALOG';
  if (value === 'v1' || value === 'V1_CATALOG') return 'V1_CATALOG';
  if (value === 'v3' || value === 'V3_CATALOG') return 'V3_CATALOG';
  if (value === 'none' || value === 'STORES_NOT_INSTALLED') return 'STORES_NOT_INSTALLED';
  return c.fail('catalogVersion', 'expected "v1", "v3" or "none"');
}

function authorizeRedirectOf(value: unknown, c: Checker): AuthorizeRedirect | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(AUTHORIZE_REDIRECTS as readonly string[]).includes(value)) c.fail('authorizeRedirect', `expected ${AUTHORIZE_REDIRECTS.map((v) => `"${v}"`).join(', ')}`);
  return value as AuthorizeRedirect;
}

/** The catalog switches a data file may set: `v1ReaderShim` (true or false) and `refuseVersionEndpoint` (403 or 404). */
function catalogSwitchesOf(root: Json, c: Checker): Pick<SiteData, 'v1ReaderShim' | 'refuseVersionEndpoint'> {
  const shim = c.boolean(root, 'v1ReaderShim', '(top level)');
  const refusal = root.refuseVersionEndpoint;
  if (refusal !== undefined && refusal !== 403 && refusal !== 404) c.fail('refuseVersionEndpoint', 'expected 403 or 404');
  return { ...(shim !== undefined && { v1ReaderShim: shim }), ...(refusal !== undefined && { refuseVersionEndpoint: refusal as 403 | 404 }) };
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates parsed JSON as a site; `source` names it in error messages. */
export function parseSiteData(json: unknown, source = 'site data'): SiteData {
  const c = new Checker(source);
  const root = c.object(json, '(top level)');
  // First: a file of a newer format says so, rather than failing on whatever field changed.
  const snapshotVersion = snapshotVersionOf(root, c);
  const currency = c.string(root, 'currency', '(top level)') ?? 'USD';
  try {
    formatMoney(0, currency);
  } catch {
    c.fail('currency', 'expected an ISO 4217 currency code such as USD');
  }
  const timeZone = c.string(root, 'timeZone', '(top level)') ?? 'UTC';
  if (!validTimeZone(timeZone)) c.fail('timeZone', `unknown IANA time zone ${timeZone}`);
  const siteUrl = c.string(root, 'siteUrl', '(top level)') ?? 'https://example.wixsite.com/site';
  const clients = c.array(root, 'clientIds', true).map((r, i) => loadClient(r, i, c));
  if (clients.length === 0) c.fail('clientIds', 'needs at least one client ID');
  const members = c.array(root, 'members', false).map((r, i) => loadMember(r, i, c));
  const emails = new Set<string>();
  members.forEach((m, i) => {
    if (emails.has(m.email.toLowerCase())) c.fail(`members[${i}].email`, `duplicate email ${m.email}`);
    emails.add(m.email.toLowerCase());
  });
  if (snapshotVersion !== undefined) return parseSnapshot(root, c, snapshotVersion, { clients, members, currency, timeZone, siteUrl });
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

/** Reads, parses and validates a site file; throws SiteDataError with one clear line. */
export function loadSiteFile(path: string): SiteData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SiteDataError(`cannot read data file ${path}${code ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SiteDataError(`data file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSiteData(json, `data file ${path}`);
}

// ---- Snapshot files (`"wixqSnapshot": 1`, written by `wixq snapshot`; docs/reference.md 7.3) -------------------------
// Their lists hold wire objects as the site sent them: checked (ids, the fields the routes index by), never filled in
// or reordered, so the emulator answers with the same bytes the site did.

/** The file's snapshot format version, or undefined for a hand-written data file. */
function snapshotVersionOf(root: Json, c: Checker): number | undefined {
  const v = root.wixqSnapshot;
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) c.fail('wixqSnapshot', `expected a format version number such as ${SNAPSHOT_FORMAT_VERSION}`);
  if (v > SNAPSHOT_FORMAT_VERSION) {
    c.fail('wixqSnapshot', `format version ${v} is newer than this wixq reads (${SNAPSHOT_FORMAT_VERSION}); update wixq to serve this file`);
  }
  return v;
}

/** A list of wire objects: each an object with a unique string `id`, then the list's own checks. */
function wireList<T>(root: Json, key: string, c: Checker, check: (o: Json, where: string) => void): T[] {
  const items = c.array(root, key, false);
  items.forEach((raw, i) => {
    const where = `${key}[${i}]`;
    const o = c.object(raw, where);
    c.string(o, 'id', where, true);
    check(o, where);
  });
  unique(items as Json[], (o) => o.id as string, c, key);
  return items as T[];
}

function requireBoolean(o: Json, key: string, where: string, c: Checker): void {
  if (typeof o[key] !== 'boolean') c.fail(`${where}.${key}`, o[key] === undefined ? 'is required' : 'expected true or false');
}

/**
 * The V1 fields the routes read to build variants and availability, when present (each is optional in the
 * `Product` typings of @wix/auto_sdk_stores_products): `stock` an object, `productOptions` a list of objects, each
 * with a string `name` and `choices` a list of objects whose `description` is a string.
 */
function wireV1Shapes(o: Json, where: string, c: Checker): void {
  if (o.stock !== undefined) c.object(o.stock, `${where}.stock`);
  if (o.media !== undefined) c.object(o.media, `${where}.media`);
  if (o.productOptions === undefined) return;
  if (!Array.isArray(o.productOptions)) c.fail(`${where}.productOptions`, 'expected an array');
  o.productOptions.forEach((raw, oi) => {
    const at = `${where}.productOptions[${oi}]`;
    const option = c.object(raw, at);
    c.string(option, 'name', at, true);
    if (option.choices === undefined) return;
    if (!Array.isArray(option.choices)) c.fail(`${at}.choices`, 'expected an array');
    option.choices.forEach((ch, ci) => {
      const choice = c.object(ch, `${at}.choices[${ci}]`);
      if (choice.description !== undefined && typeof choice.description !== 'string') c.fail(`${at}.choices[${ci}].description`, 'expected a string');
    });
  });
}

/** A service's `locations`, when present: a list of objects (the slot routes read each one's `type` and address). */
function wireServiceShapes(o: Json, where: string, c: Checker): void {
  if (o.locations === undefined) return;
  if (!Array.isArray(o.locations)) c.fail(`${where}.locations`, 'expected an array');
  o.locations.forEach((l, li) => c.object(l, `${where}.locations[${li}]`));
}

function wireV1Product(o: Json, where: string, c: Checker): void {
  wireV1Shapes(o, where, c);
  c.string(o, 'name', where, true);
  c.string(o, 'slug', where, true);
  requireBoolean(o, 'visible', where, c);
  if (!/^\d+$/.test(c.string(o, 'numericId', where, true))) c.fail(`${where}.numericId`, 'expected a string of digits');
  if (c.stringArray(o, 'collectionIds', where) === undefined) c.fail(`${where}.collectionIds`, 'is required');
}

/** V3 products and categories: a name, a slug and a visibility, as the routes index and filter them. */
function wireNamed(o: Json, where: string, c: Checker): void {
  c.string(o, 'name', where, true);
  c.string(o, 'slug', where, true);
  requireBoolean(o, 'visible', where, c);
}

/**
 * A V3 product: named as wireNamed, and its variants (Get Product serves them, Query Variants lists them) each an object
 * with a string `id` unique in the product, `choices` a list of objects and `price` an object when given.
 */
function wireV3Product(o: Json, where: string, c: Checker): void {
  wireNamed(o, where, c);
  if (o.variantsInfo === undefined) return;
  const info = c.object(o.variantsInfo, `${where}.variantsInfo`);
  if (!Array.isArray(info.variants)) c.fail(`${where}.variantsInfo.variants`, info.variants === undefined ? 'is required' : 'expected an array');
  const variants = (info.variants as unknown[]).map((raw, i) => {
    const at = `${where}.variantsInfo.variants[${i}]`;
    const v = c.object(raw, at);
    c.string(v, 'id', at, true);
    if (v.choices !== undefined && (!Array.isArray(v.choices) || v.choices.some((x) => !isObject(x)))) c.fail(`${at}.choices`, 'expected an array of objects');
    if (v.price !== undefined) c.object(v.price, `${at}.price`);
    return v;
  });
  unique(variants, (v) => v.id as string, c, `${where}.variantsInfo.variants`);
}

function snapshotSource(raw: unknown, c: Checker): SnapshotSource {
  const o = c.object(raw, 'source');
  const role = c.string(o, 'role', 'source', true);
  if (role !== 'visitor' && role !== 'member') c.fail('source.role', 'expected "visitor" or "member"');
  const date = c.string(o, 'date', 'source', true);
  if (Number.isNaN(Date.parse(date))) c.fail('source.date', 'expected an ISO date');
  // A snapshot never holds a token: refuse one that does, rather than serve or pass it on.
  for (const key of Object.keys(o)) if (/token|secret|password/i.test(key)) c.fail(`source.${key}`, 'a snapshot must not hold credentials');
  return { clientId: c.string(o, 'clientId', 'source', true), date, role };
}

/** A snapshot's site: the common parts as any data file, its lists as wire objects served as given. */
function parseSnapshot(
  root: Json,
  c: Checker,
  version: number,
  common: Pick<SiteData, 'clients' | 'members' | 'currency' | 'timeZone' | 'siteUrl'>,
): SiteData {
  const source = root.source === undefined ? undefined : snapshotSource(root.source, c);
  const catalogVersion = catalogVersionOf(root.catalogVersion, c);
  const products = wireList<V1Product>(root, 'products', c, (o, where) => wireV1Product(o, where, c));
  const productsV3 = root.productsV3 === undefined ? undefined : wireList<WireV3Product>(root, 'productsV3', c, (o, where) => wireV3Product(o, where, c));
  if (productsV3 && catalogVersion !== 'V3_CATALOG') c.fail('productsV3', 'holds Catalog V3 products, but catalogVersion is not "V3_CATALOG"');
  if (productsV3 && products.length > 0) c.fail('products', 'a snapshot holds V1 products or V3 products (productsV3), not both');
  const collections = wireList<V1Collection>(root, 'collections', c, (o, where) => {
    c.string(o, 'name', where, true);
    c.string(o, 'slug', where, true);
  });
  const categoriesWire = root.categories === undefined ? undefined : wireList<WireCategory>(root, 'categories', c, (o, where) => wireNamed(o, where, c));
  const staff = c.array(root, 'staff', false).map((r, i) => loadStaff(r, i, c));
  unique(staff, (s) => s.id, c, 'staff');
  const staffIds = new Set(staff.map((s) => s.id));
  const services = wireList<BookingsService>(root, 'services', c, (o, where) => {
    c.string(o, 'name', where, true);
    wireServiceShapes(o, where, c);
    if (!SERVICE_TYPES.has(c.string(o, 'type', where, true))) c.fail(`${where}.type`, 'expected APPOINTMENT, CLASS or COURSE');
    const ids = c.stringArray(o, 'staffMemberIds', where);
    ids?.forEach((sid, si) => {
      if (!staffIds.has(sid)) c.fail(`${where}.staffMemberIds[${si}]`, `unknown staff member id ${sid} (list it under "staff")`);
    });
    // The slot generator reads staffMemberIds; a service the wire sent without them gets a hidden empty list (not sent).
    if (!ids) Object.defineProperty(o, 'staffMemberIds', { value: [], enumerable: false });
  });
  return {
    snapshot: { version, ...(source && { source }) },
    catalogVersion,
    ...common,
    // A copy of a site can be logged in to: without members of its own it has the demo's (docs/reference.md 7.3).
    members: common.members.length > 0 ? common.members : DEMO_MEMBERS.filter((m) => m.status === 'ACTIVE' && !m.captchaRequired).map((m) => ({ ...m })),
    products,
    ...(productsV3 && { productsV3 }),
    collections,
    ...(categoriesWire && { categoriesWire }),
    services,
    staff,
    schedules: loadSchedules(root, c),
    ...(c.boolean(root, 'captchaRequired', '(top level)') && { captchaRequired: true }),
    ...(root.authorizeRedirect !== undefined && { authorizeRedirect: authorizeRedirectOf(root.authorizeRedirect, c) }),
    ...catalogSwitchesOf(root, c),
    // The CMS in the same format as any data file (its items are the wire's `data` objects already).
    ...(root.dataCollections !== undefined && { dataCollections: parseDataCollections(root.dataCollections, (field, problem) => c.fail(field, problem)) }),
  };
}
