import { moduleLoaders, type ModuleName } from './modules.js';

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

/** Builds `createClient({ modules, auth: OAuthStrategy({ clientId, tokens }) })` with only the modules named. */
export async function createWixClient(names: readonly ModuleName[], options: { clientId: string; tokens?: SdkTokens }): Promise<WixClient> {
  const unique = [...new Set(names)];
  const [{ createClient, OAuthStrategy }, ...loaded] = await Promise.all([
    import('./sdk/api-client.js'),
    ...unique.map((name) => moduleLoaders[name]()),
  ]);
  const modules = Object.fromEntries(unique.map((name, i) => [name, loaded[i]]));
  // The SDK's OAuthStrategy types want its TokenRole enum; the stored role strings are the same values.
  const auth = OAuthStrategy({ clientId: options.clientId, tokens: options.tokens as never });
  return createClient({ modules, auth }) as unknown as WixClient;
}
