import { applicationError, type EmulatorRequest } from './http.js';
import { QueryCache } from './query-engine.js';
import { deriveTokenKey, TokenAuthority, type TokenClaims } from './tokens.js';
import type { AuthorizeRedirect, BookingsService, CartLineRefusals, MembersOnlyRead, SiteClient, SiteData, SiteMember, V1Collection, V1Product } from './site/types.js';
import { toV3Product, type V3Product } from './site/v3.js';
import { CategoryTree, siteCategories } from './site/categories.js';
import { readerShimCatalog } from './site/reader-shim.js';
import { CartStore } from './site/carts.js';

/** Run-time knobs (flags, or `POST /__emulator/config`). */
export interface EmulatorSettings {
  tokenTtlSeconds: number;
  latencyMs: number;
  failRate: number;
  /** API requests allowed per second; 0 means no limit. */
  rateLimit: number;
  /** How the authorize page answers `prompt=none`: a 302, or a page that redirects by meta refresh, by script, or not at all. */
  authorizeRedirect: AuthorizeRedirect;
  /** A visitor's read of a members-only CMS collection: Wix's 403 WDE0027 (the default), or zero items. */
  membersOnlyRead?: MembersOnlyRead;
  /**
   * The Catalog V1 reader shim: on a Catalog V3 site, `/stores-reader/v1/…` products and collections answer 200 from
   * a stale template catalogue instead of 428 (docs/wix-api.md 2.0). `/stores/v1/…` keeps its 428 either way.
   */
  v1ReaderShim: boolean;
  /** Refuse `GET /stores/v3/provision/version` to visitors and members with this status (403 or 404); undefined: answer it. */
  refuseVersionEndpoint?: VersionEndpointRefusal;
  /** How the current cart answers a line it cannot add: a 400 (`error`, the default) or 200 without it (`silent`; docs/wix-api.md 15). */
  cartLineRefusals?: CartLineRefusals;
  /** false: creating a checkout answers 428 SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT (docs/wix-api.md 15); default true. */
  acceptsPayments?: boolean;
}

/** How the emulator can refuse the catalog version endpoint (docs/wix-api.md 2.0). */
export type VersionEndpointRefusal = 403 | 404;
export const VERSION_ENDPOINT_REFUSALS: readonly VersionEndpointRefusal[] = [403, 404];

/** An authorization code waiting for its `authorization_code` grant (single use). */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  memberId: string;
  visitorId: string;
  expiresAt: number;
}

/** Indexes of one list of entities, with a query cache over the part visitors may see. */
class EntityIndex<T extends { id: string }> {
  readonly byId = new Map<string, T>();
  readonly bySlug = new Map<string, T>();
  readonly visible: T[];
  readonly cache: QueryCache<T>;

  constructor(items: readonly T[], isVisible: (item: T) => boolean, slugOf: (item: T) => string | undefined) {
    for (const item of items) {
      this.byId.set(item.id, item);
      const slug = slugOf(item);
      if (slug !== undefined && !this.bySlug.has(slug)) this.bySlug.set(slug, item);
    }
    this.visible = items.filter(isVisible);
    this.cache = new QueryCache(this.visible);
  }
}

/** Everything a route may read or change: the site, its indexes, the token authority, the clock. */
export class EmulatorState {
  readonly tokens: TokenAuthority;
  readonly clients = new Map<string, SiteClient>();
  readonly membersByEmail = new Map<string, SiteMember>();
  readonly membersById = new Map<string, SiteMember>();
  readonly products: EntityIndex<V1Product>;
  readonly collections: EntityIndex<V1Collection>;
  readonly services: EntityIndex<BookingsService>;
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  /** The current cart of each visitor and member, and their checkouts: in memory, forgotten by the emulator's reset. */
  readonly carts = new CartStore();
  private v3?: EntityIndex<V3Product>;
  private tree?: CategoryTree;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly site: SiteData,
    readonly settings: EmulatorSettings,
    readonly now: () => number,
    siteIdentity: string,
  ) {
    this.tokens = new TokenAuthority(deriveTokenKey(siteIdentity), now);
    for (const c of site.clients) this.clients.set(c.id, c);
    for (const m of site.members) {
      this.membersByEmail.set(m.email.toLowerCase(), m);
      this.membersById.set(m.id, m);
    }
    this.products = new EntityIndex(site.products, (p) => p.visible !== false, (p) => p.slug);
    this.collections = new EntityIndex(site.collections, (c) => c.visible !== false, (c) => c.slug);
    this.services = new EntityIndex(site.services, (s) => s.hidden !== true, (s) => (s.mainSlug as { name?: string } | undefined)?.name);
    // Convert up front on a V3 site: a big catalog should cost start-up time, not the first request's.
    if (site.catalogVersion === 'V3_CATALOG') void this.productsV3;
  }

  /** The Stores category tree (Catalog V3 sites serve it), built on first use. */
  get categoryTree(): CategoryTree {
    if (!this.tree) {
      const { categories, productCategoryIds } = siteCategories(this.site);
      this.tree = new CategoryTree(categories, productCategoryIds, this.site.products);
    }
    return this.tree;
  }

  /** The V3 shape of the catalog, converted on first use. */
  get productsV3(): EntityIndex<V3Product> {
    // A snapshot of a V3 site serves the products as the site sent them.
    if (this.site.productsV3) return (this.v3 ??= new EntityIndex(this.site.productsV3, (p) => p.visible !== false, (p) => p.slug));
    const tree = this.categoryTree;
    this.v3 ??= new EntityIndex(
      this.site.products.map((p) => toV3Product(p, this.site, tree.categoriesOfProduct(p.id))),
      (p) => p.visible !== false,
      (p) => p.slug,
    );
    return this.v3;
  }

  /** The stale template catalogue the V1 reader shim serves on a V3 site (`v1ReaderShim`), built on first use. */
  get readerShim(): { products: EntityIndex<V1Product>; collections: EntityIndex<V1Collection> } {
    return this.memo('readerShim', () => {
      const { products, collections } = readerShimCatalog(this.site.currency, this.site.siteUrl);
      return {
        products: new EntityIndex(products, (p) => p.visible !== false, (p) => p.slug),
        collections: new EntityIndex(collections, (c) => c.visible !== false, (c) => c.slug),
      };
    });
  }

  /** A value derived from the site, built on first use (the site never changes while running). */
  memo<T>(key: string, build: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, build());
    return this.memos.get(key) as T;
  }

  /** The claims of the request's valid access token; otherwise a 401 in Wix's envelope (docs/wix-api.md 5.1). */
  authenticate(req: EmulatorRequest): TokenClaims {
    const auth = req.auth;
    if (!auth) throw unauthenticated('Missing Authorization header');
    if (!auth.ok) {
      const reasons: Record<string, string> = {
        malformed: 'Access token is malformed',
        'bad-signature': 'Access token signature is invalid (issued for another site?)',
        'wrong-kind': 'Token is not an access token',
        expired: 'Access token has expired',
        revoked: 'Access token has expired',
      };
      throw unauthenticated(reasons[auth.reason] ?? 'Access token is invalid');
    }
    if (!this.clients.has(auth.claims.clientId)) throw unauthenticated(`Unknown client ID ${auth.claims.clientId}`);
    return auth.claims;
  }

  /** Access token lifetime in ms. */
  get accessTtlMs(): number {
    return this.settings.tokenTtlSeconds * 1000;
  }
}

function unauthenticated(description: string) {
  return applicationError(401, 'UNAUTHENTICATED', description, { message: `UNAUTHENTICATED: ${description}` });
}

export type { EntityIndex };
