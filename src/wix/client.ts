import { moduleLoaders, type ModuleName } from './modules.js';
import { sessionStrategy } from './sdk/session-strategy.js';

/** The SDK's `auth.getTokens()` shape: what `OAuthStrategy({ tokens })` takes and hands back. */
export interface SdkTokens {
  accessToken: { value: string; expiresAt: number };
  refreshToken: { value: string; role: string };
}

/** The parts of the SDK client wixq relies on; module methods are reached through `modules`. */
export interface WixClient {
  auth: { getTokens(): SdkTokens; setTokens(tokens: SdkTokens): void };
  // The SDK builds the client's type from the modules passed in; wixq picks them at run time, so the resource
  // table (src/wix/resources.ts) is where each method's arguments and results are typed.
  [module: string]: any;
}

/**
 * Starts loading the SDK chunks a client of these modules needs (the SDK client, each module, OAuthStrategy when asked),
 * without waiting: a call starts it before it reads the session, so the two overlap. Failures are left to createWixClient.
 */
export function preloadWixClient(names: readonly ModuleName[], options: { oauth?: boolean } = {}): void {
  const loads: Promise<unknown>[] = [import('./sdk/wix-sdk.js'), ...names.map((name) => moduleLoaders[name]())];
  if (options.oauth) loads.push(import('./sdk/oauth-strategy.js'));
  Promise.all(loads).catch(() => {});
}

/**
 * Builds `createClient({ modules, auth, useCDN: false })` with only the modules named. Two choices keep the wire and
 * the output as they were under `@wix/api-client` (docs/wix-api.md 0.3): `useCDN: false` sends module calls to
 * `www.wixapis.com`, where the tokens come from, not `edge.wixapis.com`; and every REST module is wrapped by
 * `keepWireValues`, so the SDK leaves Wix's values as sent (dates stay ISO strings).
 *
 * The auth (docs/ARCHITECTURE.md, "The SDK client and its auth"): given tokens and no `oauth`, the client sends the
 * session's access token and nothing more (`sessionStrategy`; the session layer renews); otherwise it is the SDK's
 * `OAuthStrategy({ clientId, tokens })`, which creates visitor tokens when it has none, renews expired ones itself and
 * has the login flows.
 */
export async function createWixClient(names: readonly ModuleName[], options: { clientId: string; tokens?: SdkTokens; oauth?: boolean }): Promise<WixClient> {
  const unique = [...new Set(names)];
  const useOAuth = options.oauth === true || options.tokens === undefined;
  const [{ createClient }, oauth, ...loaded] = await Promise.all([
    import('./sdk/wix-sdk.js'),
    useOAuth ? import('./sdk/oauth-strategy.js') : undefined,
    ...unique.map((name) => moduleLoaders[name]()),
  ]);
  const modules = Object.fromEntries(unique.map((name, i) => [name, keepWireValues(loaded[i])]));
  // The SDK's OAuthStrategy types want its TokenRole enum; the stored role strings are the same values.
  const auth = oauth ? oauth.OAuthStrategy({ clientId: options.clientId, tokens: options.tokens as never }) : sessionStrategy(options.tokens!);
  return createClient({ modules, auth, useCDN: false }) as unknown as WixClient;
}

/** What the SDK's client hands a REST module: `request(factory)` sends the request the module's factory builds. */
interface HttpClient {
  request(factory: (context: unknown) => RequestOptions): Promise<unknown>;
  [key: string]: unknown;
}
interface RequestOptions {
  migrationOptions?: { optInTransformResponse?: boolean };
  [key: string]: unknown;
}
type RestModule = (httpClient?: HttpClient) => unknown;

/**
 * `@wix/sdk` applies a module's `transformResponse` to the response (timestamps to `Date` objects) when the request
 * opts in with `migrationOptions.optInTransformResponse`, as every generated module wixq uses does (`@wix/sdk`
 * `build/rest-modules.js`); `@wix/api-client` never did. wixq prints Wix's values as Wix sent them, so each REST
 * module (a function that takes the client's `HttpClient`; functions with a `__type` are event, service-plugin or
 * error definitions and stay as they are) gets a client whose requests opt out. The module's own transforms (field
 * renames, images) still run: they are the same under both packages.
 */
export function keepWireValues<T>(module: T): T {
  if (typeof module === 'function') {
    if ('__type' in module || '__isAmbassador' in module) return module;
    const restModule = module as unknown as RestModule;
    const wrapped: RestModule = (httpClient) =>
      restModule(
        httpClient && {
          ...httpClient,
          request: (factory) => httpClient.request((context) => optOut(factory(context))),
        },
      );
    return wrapped as unknown as T;
  }
  if (module !== null && typeof module === 'object') {
    return Object.fromEntries(Object.entries(module).map(([key, value]) => [key, keepWireValues(value)])) as T;
  }
  return module;
}

function optOut(options: RequestOptions): RequestOptions {
  if (!options?.migrationOptions?.optInTransformResponse) return options;
  return { ...options, migrationOptions: { ...options.migrationOptions, optInTransformResponse: false } };
}
