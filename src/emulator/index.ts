import { createHash } from 'node:crypto';
import { EmulatorServer, type RecordedRequest } from './server.js';
import { EmulatorState, VERSION_ENDPOINT_REFUSALS, type VersionEndpointRefusal } from './state.js';
import { filterRequests, type RequestFilter } from './routes/controls.js';
import { DEFAULT_PRODUCT_COUNT, DEMO_CLIENT_ID, DEMO_MEMBERS, generateSite } from './site/generate.js';
import { loadSiteFile, parseSiteData, SiteDataError } from './site/load.js';
import { AUTHORIZE_REDIRECTS, CART_LINE_REFUSALS, MEMBERS_ONLY_READS, type AuthorizeRedirect, type CartLineRefusals, type MembersOnlyRead, type SiteData, type SiteMember } from './site/types.js';

/** The Wix API emulator, programmatically: used by tests, by `wixq --demo` and by `wixq emulator`. */

export { DEMO_CLIENT_ID, DEMO_MEMBERS, DEFAULT_PRODUCT_COUNT, generateSite, loadSiteFile, parseSiteData, SiteDataError };
export type { AuthorizeRedirect, CartLineRefusals, MembersOnlyRead, SiteData, SiteMember, RecordedRequest, RequestFilter, VersionEndpointRefusal };
export { CART_LINE_REFUSALS, MEMBERS_ONLY_READS, VERSION_ENDPOINT_REFUSALS };
export { READER_SHIM_COLLECTION_IDS, READER_SHIM_PRODUCT_ID_PREFIX } from './site/reader-shim.js';
export { ALL_PRODUCTS_COLLECTION_ID, BOOKINGS_APP_ID } from './site/types.js';

/** Options of `startEmulator`; every one has a default. */
export interface EmulatorOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Seed of the generated demo site (default 1). Ignored with `data`. */
  seed?: number;
  /** Number of generated products (default 240). Ignored with `data`. */
  products?: number;
  /** Catalog version of the site; overrides the data file's. */
  catalog?: 'v1' | 'v3';
  /** A site: a JSON file path, or the data itself. */
  data?: string | SiteData;
  /** Access token lifetime in seconds (default 14400). */
  tokenTtl?: number;
  /** Delay added to every non-control response, in ms. */
  latencyMs?: number;
  /** Fraction (0..1) of API requests that answer 503, from a seeded PRNG. */
  failRate?: number;
  /** API requests allowed per second; 0 means no limit. */
  rateLimit?: number;
  /** The emulator's clock in ms (token expiry, time slots, rate-limit windows). */
  now?: () => number;
  /** How the authorize page answers `prompt=none`; overrides the data file's (default '302'). */
  authorizeRedirect?: AuthorizeRedirect;
  /** A visitor's read of a members-only CMS collection: Wix's 403 WDE0027 (default '403'), or zero items ('empty'). */
  membersOnlyRead?: MembersOnlyRead;
  /**
   * The Catalog V1 reader shim (docs/reference.md 7.4): on a Catalog V3 site, `/stores-reader/v1/…` products and
   * collections answer 200 from a stale template catalogue, as live V3 sites have been seen to; `/stores/v1/…` keeps
   * its 428. Overrides the data file's (default off: 428, as the storefront call was seen answering).
   */
  v1ReaderShim?: boolean;
  /** Refuse the catalog version endpoint to visitors and members with a 403 or a 404; overrides the data file's (default: answer it). */
  refuseVersionEndpoint?: VersionEndpointRefusal;
  /** How the current cart answers a line it cannot add (docs/wix-api.md 15.3): a 400 (`error`) or 200 without it (`silent`); overrides the data file's `ecom.lineRefusals` (default `error`). */
  cartLineRefusals?: CartLineRefusals;
  /** false: create-checkout answers 428 SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT; overrides the data file's `ecom.acceptsPayments` (default true). */
  acceptsPayments?: boolean;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:53124` (what replaces https://www.wixapis.com). */
  url: string;
  host: string;
  port: number;
  /** The first client ID of the site (the demo client for the generated site). */
  clientId: string;
  members: readonly SiteMember[];
  /** The site being served (read it to compute expected results in tests). */
  site: SiteData;
  /** Recorded API and token requests in arrival order, optionally by path prefix (string) or `{path, method}`. */
  requests(filter?: string | RequestFilter): RecordedRequest[];
  /**
   * Clears recorded requests, faults and the carts; `{tokens:true}` also revokes every token issued so far,
   * `{keepCarts:true}` keeps every identity's cart (only the recording and faults go).
   */
  reset(options?: { tokens?: boolean; keepCarts?: boolean }): void;
  /** Stops the server and ends open connections. */
  close(): Promise<void>;
}

function checkRange(name: string, value: number | undefined, ok: (n: number) => boolean, rule: string): void {
  if (value !== undefined && (!Number.isFinite(value) || !ok(value))) throw new RangeError(`${name} must be ${rule} (got ${value})`);
}

/** Builds the site and its identity (the token signing key derives from it). */
function resolveSite(options: EmulatorOptions): { site: SiteData; identity: string; seed: number } {
  const seed = options.seed ?? 1;
  if (options.data === undefined) {
    const site = generateSite({ seed, products: options.products ?? DEFAULT_PRODUCT_COUNT, catalog: options.catalog });
    // Same seed, same key: tokens from an earlier run stay valid (wixq --demo restarts the emulator each time).
    return { site, identity: `generated:${seed}`, seed };
  }
  const loaded = typeof options.data === 'string' ? loadSiteFile(options.data) : options.data;
  if (loaded.snapshot && options.catalog) throw new RangeError(`catalog does not apply to a snapshot: it serves the catalog it was taken from (${loaded.catalogVersion})`);
  // A copy: the caller's object stays as it was.
  const site: SiteData = options.catalog ? { ...loaded, catalogVersion: options.catalog === 'v3' ? 'V3_CATALOG' : 'V1_CATALOG' } : loaded;
  const identity = `data:${createHash('sha256').update(JSON.stringify({ clients: site.clients, members: site.members })).digest('hex')}`;
  return { site, identity, seed };
}

/** Starts an emulator on 127.0.0.1 and a free port unless told otherwise. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkRange('tokenTtl', options.tokenTtl, (n) => Number.isInteger(n) && n >= 1, 'a positive whole number of seconds');
  checkRange('latencyMs', options.latencyMs, (n) => n >= 0, '0 or more');
  checkRange('failRate', options.failRate, (n) => n >= 0 && n <= 1, 'between 0 and 1');
  checkRange('rateLimit', options.rateLimit, (n) => Number.isInteger(n) && n >= 0, 'a whole number, 0 or more');
  checkRange('products', options.products, (n) => Number.isInteger(n) && n >= 0, 'a whole number, 0 or more');
  if (options.authorizeRedirect !== undefined && !AUTHORIZE_REDIRECTS.includes(options.authorizeRedirect)) {
    throw new RangeError(`authorizeRedirect must be one of ${AUTHORIZE_REDIRECTS.join(', ')} (got ${String(options.authorizeRedirect)})`);
  }
  if (options.membersOnlyRead !== undefined && !MEMBERS_ONLY_READS.includes(options.membersOnlyRead)) {
    throw new RangeError(`membersOnlyRead must be one of ${MEMBERS_ONLY_READS.join(', ')} (got ${String(options.membersOnlyRead)})`);
  }
  if (options.cartLineRefusals !== undefined && !CART_LINE_REFUSALS.includes(options.cartLineRefusals)) {
    throw new RangeError(`cartLineRefusals must be one of ${CART_LINE_REFUSALS.join(', ')} (got ${String(options.cartLineRefusals)})`);
  }
  if (options.refuseVersionEndpoint !== undefined && !VERSION_ENDPOINT_REFUSALS.includes(options.refuseVersionEndpoint)) {
    throw new RangeError(`refuseVersionEndpoint must be one of ${VERSION_ENDPOINT_REFUSALS.join(', ')} (got ${String(options.refuseVersionEndpoint)})`);
  }
  const { site, identity, seed } = resolveSite(options);
  const state = new EmulatorState(
    site,
    {
      tokenTtlSeconds: options.tokenTtl ?? 14_400,
      latencyMs: options.latencyMs ?? 0,
      failRate: options.failRate ?? 0,
      rateLimit: options.rateLimit ?? 0,
      authorizeRedirect: options.authorizeRedirect ?? site.authorizeRedirect ?? '302',
      membersOnlyRead: options.membersOnlyRead ?? '403',
      v1ReaderShim: options.v1ReaderShim ?? site.v1ReaderShim ?? false,
      refuseVersionEndpoint: options.refuseVersionEndpoint ?? site.refuseVersionEndpoint,
      cartLineRefusals: options.cartLineRefusals ?? site.ecom?.lineRefusals ?? 'error',
      acceptsPayments: options.acceptsPayments ?? site.ecom?.acceptsPayments ?? true,
    },
    options.now ?? Date.now,
    identity,
  );
  const server = new EmulatorServer(state, seed);
  const host = options.host ?? '127.0.0.1';
  const address = await server.listen(host, options.port ?? 0);
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    host,
    port: address.port,
    clientId: site.clients[0]!.id,
    members: site.members,
    site,
    requests: (filter) => filterRequests(server.requests, filter),
    reset: (resetOptions) => {
      server.reset();
      if (!resetOptions?.keepCarts) state.carts.clear();
      if (resetOptions?.tokens) state.tokens.cutOff('access', 'refresh', 'session', 'state');
    },
    close: () => server.close(),
  };
}
