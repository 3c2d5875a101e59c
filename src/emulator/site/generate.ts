import { generateCatalog } from './catalog.js';
import { generateCategoryTree } from './categories.js';
import { generateDemoCms } from './cms.js';
import { generateServices } from './services.js';
import type { CatalogVersion, SiteData, SiteMember } from './types.js';

/** The OAuth client ID of the demo site (any loopback redirect URI is allowed for it). */
export const DEMO_CLIENT_ID = 'b3a7f4c2-5d1e-4e8a-9c6f-2a1b0d9e8f71';

/** Members of the demo site: two that can log in, and one per login failure state. */
export const DEMO_MEMBERS: readonly Readonly<SiteMember>[] = [
  { id: '5f0a3c1e-7b2d-4c9a-8e61-0d4f2b3a9c11', email: 'ada@example.com', password: 'demo-password', status: 'ACTIVE', name: 'Ada Lovelace', note: 'the demo member: logs in' },
  { id: '8c2e6a4b-1f3d-4a7e-9b05-6e1c7d2f4a22', email: 'grace@example.com', password: 'hopper-1906', status: 'ACTIVE', name: 'Grace Hopper', note: 'a second member that logs in' },
  { id: '2d9b4e7a-3c1f-4b8d-a6e2-9f0c5b1d7e33', email: 'unverified@example.com', password: 'demo-password', status: 'PENDING_EMAIL_VERIFICATION', name: 'Una Verified', note: 'login answers REQUIRE_EMAIL_VERIFICATION' },
  { id: '7a1c5f3e-9d2b-4e6a-8c47-3b0e2d6f1a44', email: 'pending@example.com', password: 'demo-password', status: 'PENDING_OWNER_APPROVAL', name: 'Pat Pending', note: 'login answers REQUIRE_OWNER_APPROVAL' },
  { id: '4e8d2a6c-0b3f-4d1e-9a58-7c2b4e0f3d55', email: 'captcha@example.com', password: 'demo-password', status: 'ACTIVE', captchaRequired: true, name: 'Cap Tcha', note: 'login answers -19971 (captcha missing) without a captcha token' },
];

/** Options of the demo site generator. */
export interface GenerateSiteOptions {
  /** Seed of every generated value (default 1). */
  seed?: number;
  /** Number of products (default 240). */
  products?: number;
  catalog?: 'v1' | 'v3';
}

/** Default size of the generated catalog. */
export const DEFAULT_PRODUCT_COUNT = 240;

const SITE_URL = 'https://demo-store.wixsite.com/wixq-demo';

/** Generates the demo site; the same options give a byte-identical site. */
export function generateSite(options: GenerateSiteOptions = {}): SiteData {
  const seed = options.seed ?? 1;
  const currency = 'USD';
  const catalogVersion: CatalogVersion = options.catalog === 'v3' ? 'V3_CATALOG' : 'V1_CATALOG';
  const { products, collections, placements } = generateCatalog({ seed, products: options.products ?? DEFAULT_PRODUCT_COUNT, currency, siteUrl: SITE_URL });
  const { services, staff, schedules } = generateServices({ seed, currency, siteUrl: SITE_URL });
  // Catalog V3 sites organise products in a category tree; V1 sites use collections only.
  const tree = catalogVersion === 'V3_CATALOG' ? generateCategoryTree(seed, products, placements) : undefined;
  return {
    catalogVersion,
    clients: [{ id: DEMO_CLIENT_ID, name: 'wixq demo' }],
    members: DEMO_MEMBERS.map((m) => ({ ...m })),
    products,
    collections,
    ...(tree && { categories: tree.categories, productCategoryIds: tree.productCategoryIds }),
    services,
    staff,
    schedules,
    timeZone: 'America/New_York',
    currency,
    siteUrl: SITE_URL,
    dataCollections: generateDemoCms(seed, DEMO_MEMBERS.map((m) => m.id)),
  };
}
