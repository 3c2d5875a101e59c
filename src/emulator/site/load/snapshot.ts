/**
 * Snapshot files (`"wixqSnapshot": 1`, written by `wixq snapshot`; docs/reference.md 7.3): their lists hold wire objects
 * as the site sent them, checked (ids, the fields the routes index by), never filled in or reordered, so the emulator
 * answers with the same bytes the site did.
 */
import { parseDataCollections } from '../cms.js';
import { DEMO_MEMBERS } from '../generate.js';
import { SNAPSHOT_FORMAT_VERSION, type BookingsService, type SiteData, type SnapshotSource, type V1Collection, type V1Product, type WireCategory, type WireV3Product } from '../types.js';
import { isObject, unique, type Checker, type Json } from './checker.js';
import { authorizeRedirectOf, catalogSwitchesOf, catalogVersionOf, loadSchedules, loadStaff, SERVICE_TYPES } from './common.js';

/** The file's snapshot format version, or undefined for a hand-written data file. */
export function snapshotVersionOf(root: Json, c: Checker): number | undefined {
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
export function parseSnapshot(
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
