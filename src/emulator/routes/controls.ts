import { bodyObject, invalidField, type EmulatorRequest } from '../http.js';
import type { Router } from '../router.js';
import type { Fault, RecordedRequest } from '../recording.js';
import { AUTHORIZE_REDIRECTS, BOOKINGS_APP_ID, CART_LINE_REFUSALS, MEMBERS_ONLY_READS, type AuthorizeRedirect, type CartLineRefusals, type MembersOnlyRead } from '../site/types.js';
import { VERSION_ENDPOINT_REFUSALS, type EmulatorState, type VersionEndpointRefusal } from '../state.js';

/** Test controls under `/__emulator/` (not recorded, not faulted, not rate-limited, no auth). */

/** Which recorded requests to return: a path prefix and/or a method. */
export interface RequestFilter {
  path?: string;
  method?: string;
}

/** Recorded requests matching a filter, in arrival order. */
export function filterRequests(requests: readonly RecordedRequest[], filter: RequestFilter | string = {}): RecordedRequest[] {
  const f = typeof filter === 'string' ? { path: filter } : filter;
  return requests.filter((r) => (!f.path || r.path.startsWith(f.path)) && (!f.method || r.method === f.method.toUpperCase()));
}

function optionalNumber(body: Record<string, unknown>, key: string, check: (n: number) => boolean, rule: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw invalidField(key, `must be ${rule}`);
  return v;
}

function parseFault(req: EmulatorRequest): Omit<Fault, 'id'> {
  const body = bodyObject(req);
  if (typeof body.path !== 'string' || !body.path.startsWith('/')) throw invalidField('path', 'must be a path prefix starting with /');
  if (body.method !== undefined && typeof body.method !== 'string') throw invalidField('method', 'must be an HTTP method');
  const status = optionalNumber(body, 'status', (n) => Number.isInteger(n) && n >= 100 && n <= 599, 'an HTTP status (100-599)');
  const count = optionalNumber(body, 'count', (n) => Number.isInteger(n) && n >= 1, 'a positive integer') ?? 1;
  const delayMs = optionalNumber(body, 'delayMs', (n) => n >= 0 && n <= 600_000, 'between 0 and 600000');
  if (body.drop !== undefined && typeof body.drop !== 'boolean') throw invalidField('drop', 'must be true or false');
  if (body.retryAfter !== undefined && typeof body.retryAfter !== 'string') throw invalidField('retryAfter', 'must be a string (the Retry-After header)');
  if (status === undefined && !body.drop && delayMs === undefined) throw invalidField('status', 'a fault needs a status, drop or delayMs');
  return {
    path: body.path,
    ...(typeof body.method === 'string' && { method: body.method.toUpperCase() }),
    ...(status !== undefined && { status }),
    count,
    ...(delayMs !== undefined && { delayMs }),
    ...(body.drop === true && { drop: true }),
    ...(typeof body.retryAfter === 'string' && { retryAfter: body.retryAfter }),
    ...(body.body !== undefined && { body: body.body }),
  };
}

/** What the control routes steer: the server's recording, faults and state (the server passes itself). */
export interface ControlledServer {
  readonly state: EmulatorState;
  readonly requests: readonly RecordedRequest[];
  readonly faults: Fault[];
  reset(): void;
  addFault(fault: Omit<Fault, 'id'>): Fault;
}

/** Registers the control routes on their own table. */
export function registerControlRoutes(router: Router, server: ControlledServer): void {
  const state = server.state;
  const c = '/__emulator';
  router.add('GET', `${c}/requests`, (req) => ({ json: { requests: filterRequests(server.requests, { path: req.query.get('path') ?? undefined, method: req.query.get('method') ?? undefined }) } }));
  router.add('POST', `${c}/reset`, (req) => {
    server.reset();
    // Carts go too, unless asked to keep them (docs/reference.md 7.6).
    if (bodyObject(req).keepCarts !== true) state.carts.clear();
    if (bodyObject(req).tokens === true) state.tokens.cutOff('access', 'refresh', 'session', 'state');
    return { json: { ok: true } };
  });
  router.add('POST', `${c}/expire-tokens`, () => {
    state.tokens.cutOff('access');
    return { json: { ok: true } };
  });
  router.add('POST', `${c}/revoke-refresh-tokens`, () => {
    state.tokens.cutOff('refresh');
    return { json: { ok: true } };
  });
  router.add('GET', `${c}/faults`, () => ({ json: { faults: server.faults } }));
  router.add('POST', `${c}/faults`, (req) => ({ json: { id: server.addFault(parseFault(req)).id } }));
  router.add('DELETE', `${c}/faults`, () => {
    const removed = server.faults.length;
    server.faults.length = 0;
    return { json: { ok: true, removed } };
  });
  router.add('GET', `${c}/config`, () => ({ json: { config: configOf(server) } }));
  router.add('POST', `${c}/config`, (req) => {
    const body = bodyObject(req);
    const tokenTtl = optionalNumber(body, 'tokenTtl', (n) => Number.isInteger(n) && n >= 1, 'a positive integer (seconds)');
    const latencyMs = optionalNumber(body, 'latencyMs', (n) => n >= 0 && n <= 600_000, 'between 0 and 600000');
    const failRate = optionalNumber(body, 'failRate', (n) => n >= 0 && n <= 1, 'between 0 and 1');
    const rateLimit = optionalNumber(body, 'rateLimit', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
    const authorizeRedirect = body.authorizeRedirect;
    if (authorizeRedirect !== undefined && !(AUTHORIZE_REDIRECTS as readonly unknown[]).includes(authorizeRedirect)) {
      throw invalidField('authorizeRedirect', `must be one of ${AUTHORIZE_REDIRECTS.join(', ')}`);
    }
    const membersOnlyRead = body.membersOnlyRead;
    if (membersOnlyRead !== undefined && !(MEMBERS_ONLY_READS as readonly unknown[]).includes(membersOnlyRead)) {
      throw invalidField('membersOnlyRead', `must be one of ${MEMBERS_ONLY_READS.join(', ')}`);
    }
    const shim = body.v1ReaderShim;
    if (shim !== undefined && typeof shim !== 'boolean') throw invalidField('v1ReaderShim', 'must be true or false');
    const refusal = body.refuseVersionEndpoint;
    if (refusal !== undefined && refusal !== null && !(VERSION_ENDPOINT_REFUSALS as readonly unknown[]).includes(refusal)) {
      throw invalidField('refuseVersionEndpoint', `must be one of ${VERSION_ENDPOINT_REFUSALS.join(', ')}, or null to answer it`);
    }
    const lineRefusals = body.cartLineRefusals;
    if (lineRefusals !== undefined && !(CART_LINE_REFUSALS as readonly unknown[]).includes(lineRefusals)) {
      throw invalidField('cartLineRefusals', `must be one of ${CART_LINE_REFUSALS.join(', ')}`);
    }
    const acceptsPayments = body.acceptsPayments;
    if (acceptsPayments !== undefined && typeof acceptsPayments !== 'boolean') throw invalidField('acceptsPayments', 'must be true or false');
    if (lineRefusals !== undefined) state.settings.cartLineRefusals = lineRefusals as CartLineRefusals;
    if (acceptsPayments !== undefined) state.settings.acceptsPayments = acceptsPayments;
    if (shim !== undefined) state.settings.v1ReaderShim = shim;
    if (refusal !== undefined) state.settings.refuseVersionEndpoint = refusal === null ? undefined : (refusal as VersionEndpointRefusal);
    if (tokenTtl !== undefined) state.settings.tokenTtlSeconds = tokenTtl;
    if (latencyMs !== undefined) state.settings.latencyMs = latencyMs;
    if (failRate !== undefined) state.settings.failRate = failRate;
    if (rateLimit !== undefined) state.settings.rateLimit = rateLimit;
    if (authorizeRedirect !== undefined) state.settings.authorizeRedirect = authorizeRedirect as AuthorizeRedirect;
    if (membersOnlyRead !== undefined) state.settings.membersOnlyRead = membersOnlyRead as MembersOnlyRead;
    return { json: { config: configOf(server) } };
  });
  router.add('GET', `${c}/site`, () => {
    const site = state.site;
    return {
      json: {
        catalogVersion: site.catalogVersion,
        timeZone: site.timeZone,
        counts: {
          products: site.productsV3?.length ?? site.products.length,
          visibleProducts: state.products.visible.length,
          collections: site.collections.length,
          services: site.services.length,
          // What Wix Bookings offers: its own services, not hidden (other apps' services are not its to show).
          visibleServices: state.services.visible.filter((s) => (s.appId ?? BOOKINGS_APP_ID) === BOOKINGS_APP_ID).length,
          members: site.members.length,
          dataCollections: site.dataCollections?.length ?? 0,
        },
        clientIds: site.clients.map((cl) => cl.id),
        // The CMS collections and who may read them (item counts would build the demo's big collection).
        dataCollections: (site.dataCollections ?? []).map((dc) => ({ id: dc.id, read: dc.permissions.read })),
        members: site.members.map((m) => ({ id: m.id, email: m.email, status: m.status, captchaRequired: Boolean(m.captchaRequired || site.captchaRequired) })),
      },
    };
  });
}

function configOf(server: ControlledServer): Record<string, number | string | boolean | null> {
  const s = server.state.settings;
  return {
    tokenTtl: s.tokenTtlSeconds,
    latencyMs: s.latencyMs,
    failRate: s.failRate,
    rateLimit: s.rateLimit,
    authorizeRedirect: s.authorizeRedirect,
    v1ReaderShim: s.v1ReaderShim,
    refuseVersionEndpoint: s.refuseVersionEndpoint ?? null,
    membersOnlyRead: s.membersOnlyRead ?? '403',
    cartLineRefusals: s.cartLineRefusals ?? 'error',
    acceptsPayments: s.acceptsPayments ?? true,
  };
}
