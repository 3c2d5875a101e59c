import { createRandom, mixSeed, pick, randomGuid, randomInt } from './random.js';
import { CMS_ROLES, type CmsCollection, type CmsField, type CmsItem, type CmsPermissions, type CmsRole } from './types.js';

/**
 * The site's CMS (Wix Data collections): `dataCollections` of a `--data` file, validated, and the demo site's
 * collections. Items are kept in the REST wire shape (docs/wix-api.md 12.1): dates as `{"$date": ISO}`.
 */

type Json = Record<string, unknown>;

/** Reports a bad value at a field path and never returns (the loader's one-line error). */
export type Fail = (field: string, problem: string) => never;

/** The id the emulator gives the site owner: `_owner` of items a file gives without one. */
export const SITE_OWNER_ID = '0d7e2c4a-5b1f-4e3a-9c8d-6f2a1b3c4d5e';

const DEFAULT_CREATED = '2024-01-01T00:00:00.000Z';

/** Field types of the Data Collections API (@wix/auto_sdk_data_collections `Type`). */
const FIELD_TYPES = new Set([
  'TEXT', 'NUMBER', 'DATE', 'DATETIME', 'IMAGE', 'BOOLEAN', 'DOCUMENT', 'URL', 'RICH_TEXT', 'VIDEO', 'ANY', 'ARRAY_STRING',
  'ARRAY_DOCUMENT', 'AUDIO', 'TIME', 'LANGUAGE', 'RICH_CONTENT', 'MEDIA_GALLERY', 'ADDRESS', 'PAGE_LINK', 'REFERENCE',
  'MULTI_REFERENCE', 'OBJECT', 'ARRAY', 'LEGACY_TIME', 'LEGACY_BOOK', 'LEGACY_EXTERNAL_URL', 'LEGACY_BROKEN_REFERENCE',
  'LEGACY_IMAGE', 'LEGACY_COLOR', 'LEGACY_EXTERNAL_VIDEO', 'SLUG', 'EMAIL', 'MEDIA_IMAGE', 'MEDIA_VECTOR_ART',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"$date": ISO}` for an ISO string or a `{$date}` object; undefined for anything else. */
export function wireDate(value: unknown): { $date: string } | undefined {
  const text = isObject(value) && Object.keys(value).length === 1 ? value.$date : value;
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : { $date: new Date(ms).toISOString() };
}

/** The field a reference or multi-reference field points to, or undefined for other fields. */
export function referencedCollectionOf(field: CmsField): string | undefined {
  const meta = field.typeMetadata;
  if (!meta) return undefined;
  const ref = field.type === 'REFERENCE' ? meta.reference : field.type === 'MULTI_REFERENCE' ? meta.multiReference : undefined;
  const id = isObject(ref) ? ref.referencedCollectionId : undefined;
  return typeof id === 'string' ? id : undefined;
}

function role(value: unknown, where: string, fail: Fail, fallback: CmsRole): CmsRole {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(CMS_ROLES as readonly string[]).includes(value)) fail(where, `expected one of ${CMS_ROLES.join(', ')}`);
  return value as CmsRole;
}

function loadPermissions(raw: unknown, where: string, fail: Fail): CmsPermissions {
  if (raw === undefined) return { read: 'ANYONE', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' };
  if (!isObject(raw)) fail(where, 'expected an object {read, insert, update, remove}');
  return {
    read: role(raw.read, `${where}.read`, fail, 'ANYONE'),
    insert: role(raw.insert, `${where}.insert`, fail, 'ADMIN'),
    update: role(raw.update, `${where}.update`, fail, 'ADMIN'),
    remove: role(raw.remove, `${where}.remove`, fail, 'ADMIN'),
  };
}

function loadField(raw: unknown, where: string, fail: Fail): CmsField {
  if (!isObject(raw)) fail(where, 'expected an object {key, type, displayName?, typeMetadata?}');
  if (typeof raw.key !== 'string' || raw.key.trim() === '') fail(`${where}.key`, raw.key === undefined ? 'is required' : 'expected a non-empty string');
  if (typeof raw.type !== 'string' || !FIELD_TYPES.has(raw.type)) fail(`${where}.type`, 'expected a Data Collections field type such as TEXT, NUMBER, DATETIME, REFERENCE or MULTI_REFERENCE');
  if (raw.displayName !== undefined && typeof raw.displayName !== 'string') fail(`${where}.displayName`, 'expected a string');
  if (raw.typeMetadata !== undefined && !isObject(raw.typeMetadata)) fail(`${where}.typeMetadata`, 'expected an object');
  const field = raw as CmsField;
  if (field.type === 'REFERENCE' || field.type === 'MULTI_REFERENCE') {
    const path = field.type === 'REFERENCE' ? 'reference' : 'multiReference';
    if (referencedCollectionOf(field) === undefined) fail(`${where}.typeMetadata.${path}.referencedCollectionId`, 'is required for a reference field');
  }
  return field;
}

function loadItem(raw: unknown, where: string, fields: Map<string, CmsField>, fail: Fail): CmsItem {
  if (!isObject(raw)) fail(where, 'expected an object (the item data, with _id)');
  if (typeof raw._id !== 'string' || raw._id.trim() === '') fail(`${where}._id`, raw._id === undefined ? 'is required' : 'expected a non-empty string');
  const item: CmsItem = { ...raw, _id: raw._id };
  const created = raw._createdDate === undefined ? { $date: DEFAULT_CREATED } : wireDate(raw._createdDate);
  if (!created) fail(`${where}._createdDate`, 'expected an ISO date-time or {"$date": ISO}');
  const updated = raw._updatedDate === undefined ? created : wireDate(raw._updatedDate);
  if (!updated) fail(`${where}._updatedDate`, 'expected an ISO date-time or {"$date": ISO}');
  item._createdDate = created;
  item._updatedDate = updated;
  if (item._owner === undefined) item._owner = SITE_OWNER_ID;
  else if (typeof item._owner !== 'string') fail(`${where}._owner`, 'expected a member or user id');
  for (const [key, field] of fields) {
    const value = item[key];
    if (value === undefined || value === null) continue;
    if (field.type === 'DATETIME') {
      const date = wireDate(value);
      if (!date) fail(`${where}.${key}`, 'expected an ISO date-time or {"$date": ISO} (a DATETIME field)');
      item[key] = date;
    } else if (field.type === 'REFERENCE' && typeof value !== 'string') {
      fail(`${where}.${key}`, 'expected the _id of the referenced item (a REFERENCE field)');
    } else if (field.type === 'MULTI_REFERENCE' && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
      fail(`${where}.${key}`, 'expected an array of referenced item ids (a MULTI_REFERENCE field)');
    }
  }
  return item;
}

/** Validates `dataCollections` of a site file; `fail` names the field path. */
export function parseDataCollections(value: unknown, fail: Fail): CmsCollection[] {
  if (!Array.isArray(value)) fail('dataCollections', 'expected an array of collections');
  const collections = value.map((raw, i): CmsCollection => {
    const where = `dataCollections[${i}]`;
    if (!isObject(raw)) fail(where, 'expected an object {id, displayName?, permissions?, fields?, items?}');
    if (typeof raw.id !== 'string' || raw.id.trim() === '') fail(`${where}.id`, raw.id === undefined ? 'is required' : 'expected a non-empty string');
    if (raw.displayName !== undefined && typeof raw.displayName !== 'string') fail(`${where}.displayName`, 'expected a string');
    if (raw.fields !== undefined && !Array.isArray(raw.fields)) fail(`${where}.fields`, 'expected an array');
    const fields = ((raw.fields as unknown[] | undefined) ?? []).map((f, fi) => loadField(f, `${where}.fields[${fi}]`, fail));
    const keys = new Set<string>();
    fields.forEach((f, fi) => {
      if (keys.has(f.key)) fail(`${where}.fields[${fi}].key`, `duplicate field key ${f.key}`);
      keys.add(f.key);
    });
    if (raw.items !== undefined && !Array.isArray(raw.items)) fail(`${where}.items`, 'expected an array');
    const byKey = new Map(fields.map((f) => [f.key, f]));
    const items = ((raw.items as unknown[] | undefined) ?? []).map((it, ii) => loadItem(it, `${where}.items[${ii}]`, byKey, fail));
    const ids = new Set<string>();
    items.forEach((it, ii) => {
      if (ids.has(it._id)) fail(`${where}.items[${ii}]._id`, `duplicate item id ${it._id}`);
      ids.add(it._id);
    });
    return {
      id: raw.id,
      ...(typeof raw.displayName === 'string' && { displayName: raw.displayName }),
      permissions: loadPermissions(raw.permissions, `${where}.permissions`, fail),
      fields,
      items,
      createdDate: DEFAULT_CREATED,
    };
  });
  const byId = new Map<string, CmsCollection>();
  collections.forEach((col, i) => {
    if (byId.has(col.id)) fail(`dataCollections[${i}].id`, `duplicate collection id ${col.id}`);
    byId.set(col.id, col);
  });
  // References name a collection of the file. An id of an item the file does not hold is kept (a snapshot of a
  // member's own items has such ids, and so may a real site's data); including it resolves to nothing.
  collections.forEach((col, i) => {
    col.fields.forEach((field, fi) => {
      const target = referencedCollectionOf(field);
      if (target !== undefined && !byId.has(target)) fail(`dataCollections[${i}].fields[${fi}].typeMetadata`, `references unknown collection ${target} (list it under "dataCollections")`);
    });
  });
  return collections;
}

// ---------------------------------------------------------------------------------------------------------------
// The demo site's CMS (docs/reference.md 7.2)

/** The demo's big collection: 15,000 events, for `--all` at scale. */
export const DEMO_EVENTS_COLLECTION = 'events-log';
export const DEMO_EVENT_COUNT = 15_000;

const TEAM = [
  ['Maya Ortiz', 'Editor in chief'],
  ['Liam Chen', 'Staff writer'],
  ['Noor Haddad', 'Photographer'],
  ['Ethan Brooks', 'Staff writer'],
  ['Sofia Rossi', 'Designer'],
  ['Kwame Mensah', 'Developer'],
  ['Hana Sato', 'Community manager'],
  ['Lucas Weber', 'Copy editor'],
] as const;

const TAGS = ['Guides', 'News', 'Releases', 'Tips', 'Community', 'Design'] as const;

const TOPICS = ['Getting started', 'Headless sites', 'Shipping faster', 'Design systems', 'Caching', 'Search', 'Paging at scale', 'Accessibility'] as const;

const EVENT_SOURCES = ['checkout', 'search', 'auth', 'cms', 'bookings', 'media'] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const BASE = Date.parse('2024-01-01T00:00:00.000Z');
const DAY = 86_400_000;

function system(id: string, createdMs: number, owner = SITE_OWNER_ID): CmsItem {
  const d = { $date: iso(createdMs) };
  return { _id: id, _createdDate: d, _updatedDate: d, _owner: owner };
}

function text(key: string, displayName: string): CmsField {
  return { key, displayName, type: 'TEXT' };
}

/** The events of `events-log`, built on first read (they cost nothing at start-up). */
function generateEvents(seed: number): CmsItem[] {
  const random = createRandom(mixSeed(seed, 0xe7e2));
  const items: CmsItem[] = new Array(DEMO_EVENT_COUNT);
  for (let i = 0; i < DEMO_EVENT_COUNT; i++) {
    const at = BASE + i * 60_000;
    const roll = random();
    const level = roll < 0.7 ? 'info' : roll < 0.9 ? 'warn' : 'error';
    const source = pick(random, EVENT_SOURCES);
    const date = { $date: iso(at) };
    items[i] = { _id: randomGuid(random), _createdDate: date, _updatedDate: date, _owner: SITE_OWNER_ID, seq: i + 1, level, source, code: level === 'info' ? 200 : level === 'warn' ? 429 : 500, message: `${source} ${level} #${i + 1}`, at: date };
  }
  return items;
}

/** The demo CMS: team, tags, articles (reference + multi-reference), members-news, member-notes, staff-notes, events-log. */
export function generateDemoCms(seed: number, memberIds: readonly string[]): CmsCollection[] {
  const random = createRandom(mixSeed(seed, 0xc3a5));
  const guid = () => randomGuid(random);
  const created = iso(BASE);
  const everyoneReads: CmsPermissions = { read: 'ANYONE', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' };

  const team = TEAM.map(([name, title], i): CmsItem => ({
    ...system(guid(), BASE + i * DAY),
    title: name,
    role: title,
    email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
    joined: iso(BASE - (i + 1) * 90 * DAY).slice(0, 10),
    order: i + 1,
    active: i !== 6,
  }));
  const tags = TAGS.map((name, i): CmsItem => ({ ...system(guid(), BASE + i * 3_600_000), title: name, slug: name.toLowerCase() }));
  const articles = Array.from({ length: 24 }, (_, i): CmsItem => {
    const topic = TOPICS[i % TOPICS.length]!;
    const published = BASE + 10 * DAY + i * 2 * DAY;
    const tagCount = randomInt(random, 1, 3);
    const tagIds = [...new Set(Array.from({ length: tagCount }, () => pick(random, tags)._id))];
    return {
      ...system(guid(), published - 3_600_000),
      title: `${topic}, part ${Math.floor(i / TOPICS.length) + 1}`,
      slug: `${topic.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.floor(i / TOPICS.length) + 1}`,
      excerpt: `Notes on ${topic.toLowerCase()} for Wix Headless projects.`,
      author: team[i % team.length]!._id,
      tags: tagIds,
      publishedDate: { $date: iso(published) },
      views: randomInt(random, 40, 9000),
      featured: i % 5 === 0,
    };
  });
  const news = Array.from({ length: 6 }, (_, i): CmsItem => ({
    ...system(guid(), BASE + 20 * DAY + i * 7 * DAY),
    title: `Members' newsletter #${i + 1}`,
    body: `What is new for members in issue ${i + 1}.`,
    publishedDate: { $date: iso(BASE + 20 * DAY + i * 7 * DAY) },
  }));
  const notes = Array.from({ length: 4 }, (_, i): CmsItem => ({
    ...system(guid(), BASE + 30 * DAY + i * DAY, memberIds[i % Math.max(1, Math.min(2, memberIds.length))] ?? SITE_OWNER_ID),
    title: `Private note ${i + 1}`,
  }));
  const staff = Array.from({ length: 3 }, (_, i): CmsItem => ({ ...system(guid(), BASE + i * DAY), title: `Staff memo ${i + 1}` }));

  let events: CmsItem[] | undefined;
  const eventsLog: CmsCollection = {
    id: DEMO_EVENTS_COLLECTION,
    displayName: 'Events log',
    permissions: everyoneReads,
    fields: [
      { key: 'seq', displayName: 'Sequence', type: 'NUMBER' },
      text('level', 'Level'),
      text('source', 'Source'),
      { key: 'code', displayName: 'Code', type: 'NUMBER' },
      text('message', 'Message'),
      { key: 'at', displayName: 'At', type: 'DATETIME' },
    ],
    get items() {
      events ??= generateEvents(seed);
      return events;
    },
    createdDate: created,
  };

  return [
    {
      id: 'team',
      displayName: 'Team',
      permissions: everyoneReads,
      fields: [text('title', 'Name'), text('role', 'Role'), { key: 'email', displayName: 'Email', type: 'EMAIL' }, { key: 'joined', displayName: 'Joined', type: 'DATE' }, { key: 'order', displayName: 'Order', type: 'NUMBER' }, { key: 'active', displayName: 'Active', type: 'BOOLEAN' }],
      items: team,
      createdDate: created,
    },
    { id: 'tags', displayName: 'Tags', permissions: everyoneReads, fields: [text('title', 'Title'), { key: 'slug', displayName: 'Slug', type: 'TEXT' }], items: tags, createdDate: created },
    {
      id: 'articles',
      displayName: 'Articles',
      permissions: everyoneReads,
      fields: [
        text('title', 'Title'),
        text('slug', 'Slug'),
        text('excerpt', 'Excerpt'),
        { key: 'author', displayName: 'Author', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'team' } } },
        { key: 'tags', displayName: 'Tags', type: 'MULTI_REFERENCE', typeMetadata: { multiReference: { referencedCollectionId: 'tags', referencingFieldKey: 'articles', referencingDisplayName: 'Articles' } } },
        { key: 'publishedDate', displayName: 'Published', type: 'DATETIME' },
        { key: 'views', displayName: 'Views', type: 'NUMBER' },
        { key: 'featured', displayName: 'Featured', type: 'BOOLEAN' },
      ],
      items: articles,
      createdDate: created,
    },
    {
      id: 'members-news',
      displayName: 'Members news',
      permissions: { read: 'SITE_MEMBER', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' },
      fields: [text('title', 'Title'), text('body', 'Body'), { key: 'publishedDate', displayName: 'Published', type: 'DATETIME' }],
      items: news,
      createdDate: created,
    },
    {
      id: 'member-notes',
      displayName: 'Member notes',
      permissions: { read: 'SITE_MEMBER_AUTHOR', insert: 'SITE_MEMBER', update: 'SITE_MEMBER_AUTHOR', remove: 'SITE_MEMBER_AUTHOR' },
      fields: [text('title', 'Title')],
      items: notes,
      createdDate: created,
    },
    {
      id: 'staff-notes',
      displayName: 'Staff notes',
      permissions: { read: 'PRIVILEGED', insert: 'PRIVILEGED', update: 'PRIVILEGED', remove: 'PRIVILEGED' },
      fields: [text('title', 'Title')],
      items: staff,
      createdDate: created,
    },
    eventsLog,
  ];
}
