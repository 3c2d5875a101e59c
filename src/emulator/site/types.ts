/**
 * The emulated site: what a Wix Headless project holds, in Wix's REST (wire) shapes.
 * Products are kept in the Catalog V1 shape (docs/wix-api.md 2.1); the V3 shape is derived from them.
 */

/** A site runs Catalog V1 or V3, or has no Wix Stores at all. */
export type CatalogVersion = 'V1_CATALOG' | 'V3_CATALOG' | 'STORES_NOT_INSTALLED';

/** An OAuth app (Headless client) of the site. */
export interface SiteClient {
  id: string;
  name?: string;
  /**
   * Exact redirect URIs allowed for member login. When absent, any loopback URI
   * (`http://127.0.0.1:<port>/<path>`, `http://localhost:<port>/<path>`) is allowed.
   */
  redirectUris?: string[];
}

/**
 * How the authorize page answers a `prompt=none` request of a headless client: a plain 302, an HTML page that
 * redirects by `<meta http-equiv="refresh">` or by a script, or a page with no redirect at all (whether real Wix
 * answers a browser-less client with a 302 or a page is not documented).
 */
export type AuthorizeRedirect = '302' | 'meta-refresh' | 'script' | 'none';

/** Every value of AuthorizeRedirect, for validation. */
export const AUTHORIZE_REDIRECTS: readonly AuthorizeRedirect[] = ['302', 'meta-refresh', 'script', 'none'];

/**
 * What a visitor's read of a members-only CMS collection (read `SITE_MEMBER` or `SITE_MEMBER_AUTHOR`) answers: Wix's
 * observed 403 `WDE0027`, or zero items, as Wix's own skill notes describe it (docs/wix-api.md 12.4).
 */
export type MembersOnlyRead = '403' | 'empty';
export const MEMBERS_ONLY_READS: readonly MembersOnlyRead[] = ['403', 'empty'];

/** Login states a member can be in; each drives a different login answer. */
export type MemberStatus = 'ACTIVE' | 'PENDING_EMAIL_VERIFICATION' | 'PENDING_OWNER_APPROVAL';

export interface SiteMember {
  id: string;
  email: string;
  password: string;
  status: MemberStatus;
  /** Login answers -19971 (captcha missing) unless the request carries a captcha token. */
  captchaRequired?: boolean;
  name?: string;
  /** Why the member exists (documentation for the demo site). */
  note?: string;
}

/** Catalog V1 product, wire shape (docs/wix-api.md 2.1; @wix/auto_sdk_stores_products typings). */
export type V1Product = Record<string, unknown> & {
  id: string;
  name: string;
  slug: string;
  visible: boolean;
  numericId: string;
  collectionIds: string[];
};

/** Catalog V1 collection, wire shape (docs/wix-api.md 2.4). */
export type V1Collection = Record<string, unknown> & { id: string; name: string; slug: string };

/**
 * A category of the site's Wix Stores tree (Categories API; @wix/auto_sdk_categories_categories `Category`).
 * Held flat with `parentId`; the routes derive `parentCategory`, `itemCounter`, breadcrumbs and effective visibility.
 */
export interface StoreCategory {
  id: string;
  name: string;
  slug: string;
  /** As set on the category; a hidden ancestor hides it too. */
  visible: boolean;
  parentId?: string;
  description?: string;
  /** REST image object; the SDK turns it into a `wix:image://` string. */
  image?: { id: string; url: string; width: number; height: number; altText?: string };
  createdDate: string;
  updatedDate: string;
}

/** Bookings service v2, wire shape (docs/wix-api.md 3.1). */
export type BookingsService = Record<string, unknown> & {
  id: string;
  name: string;
  type: 'APPOINTMENT' | 'CLASS' | 'COURSE';
  staffMemberIds: string[];
  /** The app the service belongs to; Wix Bookings shows only its own (see BOOKINGS_APP_ID). */
  appId?: string;
  hidden?: boolean;
};

/**
 * Wix Bookings' app id, the default `appId` of a service; services of other apps carry theirs
 * (@wix/auto_sdk_bookings_services `Service.appId`; Wix's own helpers filter on it, e.g.
 * `@wix/headless-bookings` `dist/services/constants.js`, the app ID its `dist/api/query-services/index.js` scopes services by).
 */
export const BOOKINGS_APP_ID = '13d21c63-b5ec-5912-8397-c3a5ddb27a97';

/** Wix Meetings' app id, listed with Wix Bookings' in @wix/auto_sdk_bookings_services `Service.appId`. */
export const WIX_MEETINGS_APP_ID = '6646a75c-2027-4f49-976c-58f3d713ed0f';

/** A staff member (bookable resource) referenced by services. */
export interface StaffMember {
  id: string;
  name: string;
  /** Daily working hours in the business time zone, e.g. `{start: 9, end: 17}`. */
  workingHours?: { start: number; end: number };
}

/** How a service's sessions repeat: facts the slot generator needs that services do not carry on the wire. */
export interface ServiceSchedule {
  /** Session length in minutes. */
  minutes: number;
  /** Classes and courses: weekdays (0 = Sunday) and local start hours, in the business time zone. */
  weekly?: { days: number[]; hours: number[] };
  /** Courses: number of weekly sessions. */
  weeks?: number;
}

/**
 * Who may do an action on a CMS collection's items: the Data Collections API's `Role` (ADMIN, SITE_MEMBER_AUTHOR,
 * SITE_MEMBER, ANYONE; @wix/auto_sdk_data_collections `Permissions`) and the Data Permissions API's names for the
 * two roles above a member (CMS_EDITOR, PRIVILEGED) (docs/wix-api.md 12.4).
 */
export type CmsRole = 'ANYONE' | 'SITE_MEMBER' | 'SITE_MEMBER_AUTHOR' | 'CMS_EDITOR' | 'PRIVILEGED' | 'ADMIN';

/** Every value of CmsRole, for validation. */
export const CMS_ROLES: readonly CmsRole[] = ['ANYONE', 'SITE_MEMBER', 'SITE_MEMBER_AUTHOR', 'CMS_EDITOR', 'PRIVILEGED', 'ADMIN'];

/** A collection's permissions per item action (wire shape of `DataCollection.permissions`). */
export interface CmsPermissions {
  read: CmsRole;
  insert: CmsRole;
  update: CmsRole;
  remove: CmsRole;
}

/**
 * A field of a CMS collection (wire shape of `DataCollection.fields[]`). A reference field names its collection in
 * `typeMetadata.reference.referencedCollectionId`, a multi-reference field in
 * `typeMetadata.multiReference.referencedCollectionId`.
 */
export type CmsField = Record<string, unknown> & { key: string; type: string; displayName?: string; typeMetadata?: Record<string, unknown> };

/**
 * One item: the `data` object of a Wix `DataItem` as the REST API sends it (`_id`, `_createdDate`, `_updatedDate`,
 * `_owner`, and the fields). Date-and-time values are `{"$date": ISO}` objects; a reference field holds the
 * referenced item's `_id`, a multi-reference field an array of ids (docs/wix-api.md 12.5).
 */
export type CmsItem = Record<string, unknown> & { _id: string };

/** A CMS (Wix Data) collection of the site (`dataCollections` in a `--data` file; docs/reference.md 7.3). */
export interface CmsCollection {
  id: string;
  displayName?: string;
  permissions: CmsPermissions;
  fields: CmsField[];
  /** In the order they were created (the generated demo builds big collections on first read). */
  items: CmsItem[];
  /** When the collection was created (ISO). */
  createdDate: string;
}

/** Everything the emulator serves. */
export interface SiteData extends SnapshotParts {
  catalogVersion: CatalogVersion;
  clients: SiteClient[];
  members: SiteMember[];
  products: V1Product[];
  collections: V1Collection[];
  /**
   * The Stores category tree (served on Catalog V3 sites). When absent, a V3 site serves its collections,
   * All Products excepted, as top-level categories.
   */
  categories?: StoreCategory[];
  /** Product id → ids of the categories that directly contain it (with `categories`). */
  productCategoryIds?: Record<string, string[]>;
  services: BookingsService[];
  staff: StaffMember[];
  /** Session patterns by service id; services without one get defaults. */
  schedules: Record<string, ServiceSchedule>;
  /** IANA zone of the business: working hours are in it, and time slot requests default to it. */
  timeZone: string;
  /** Every login needs a captcha token (answers -19971 without one). */
  captchaRequired?: boolean;
  /** How the authorize page answers `prompt=none` (default '302'). */
  authorizeRedirect?: AuthorizeRedirect;
  /** Serve the Catalog V1 reader shim on a V3 site (docs/reference.md 7.4; default off). */
  v1ReaderShim?: boolean;
  /** Refuse the catalog version endpoint to visitors and members with this status (default: answer it). */
  refuseVersionEndpoint?: 403 | 404;
  currency: string;
  /** Base URL of the (fictional) site, for product page URLs. */
  siteUrl: string;
  /** The site's CMS: Wix Data collections and their items (none when absent). */
  dataCollections?: CmsCollection[];
  /** Cart totals: a tax rate and a flat shipping price (`ecom` in a data file; none when absent). */
  ecom?: EcomSettings;
}

/**
 * How the current cart treats a line it cannot add (docs/wix-api.md 15): `error` refuses the request with a 400
 * (ITEM_NOT_FOUND_IN_CATALOG, INSUFFICIENT_INVENTORY, LINE_ITEM_NOT_FOUND_IN_CART), `silent` answers 200 and leaves the
 * line out (or keeps it as unavailable), as Wix's own storefront guidance reports real sites doing.
 */
export type CartLineRefusals = 'error' | 'silent';
export const CART_LINE_REFUSALS: readonly CartLineRefusals[] = ['error', 'silent'];

/** What a data file may set for carts and checkouts (`ecom`; docs/reference.md 7.3). */
export interface EcomSettings {
  /** Tax as a fraction of the subtotal (0.08 is 8%); 0 when absent. */
  taxRate?: number;
  /** A flat shipping price for a cart with a shippable line; 0 when absent. */
  shippingPrice?: number;
  /** How a line the cart cannot add is answered (default `error`). */
  lineRefusals?: CartLineRefusals;
  /** false: creating a checkout answers 428 SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT (default true). */
  acceptsPayments?: boolean;
}

/** The id Wix gives the "All Products" collection on every V1 site. */
export const ALL_PRODUCTS_COLLECTION_ID = '00000000-000000-000000-000000000001';

// ---- Snapshots (`wixq snapshot`, docs/reference.md 7.3) -------------------------------------------------------------
// A versioned data file (`"wixqSnapshot": 1`) holds the site's lists as the wire sent them; the emulator serves those
// objects as given (same keys, same order), instead of filling in defaults or deriving V3 from V1.

export { SNAPSHOT_FORMAT_VERSION } from '../../version.js';

/** Where a snapshot came from. It never holds a token. */
export interface SnapshotSource {
  clientId: string;
  /** When it was taken (ISO 8601). */
  date: string;
  /** The session it was read with: a member's session also reads members-only CMS collections. */
  role: 'visitor' | 'member';
}

/** A Catalog V3 product as the site sent it, with the fields it returns on request (URL, DESCRIPTION, ...). */
export type WireV3Product = Record<string, unknown> & { id: string; name: string; slug: string; visible: boolean };

/** A Stores category as the Categories API sent it, with DESCRIPTION, BREADCRUMBS_INFO and RICH_CONTENT_DESCRIPTION. */
export type WireCategory = Record<string, unknown> & { id: string; name: string; slug: string; visible: boolean };

/** What a snapshot adds to a site. */
export interface SnapshotParts {
  /** Set when the site was loaded from a snapshot file: its format version and source. */
  snapshot?: { version: number; source?: SnapshotSource };
  /** Catalog V3 products served as given (a snapshot of a V3 site); without it V3 is derived from `products`. */
  productsV3?: WireV3Product[];
  /** The category tree served as given (a snapshot of a V3 site); without it categories are derived. */
  categoriesWire?: WireCategory[];
}
