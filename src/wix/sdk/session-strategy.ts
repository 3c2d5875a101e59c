/** The SDK's token shape (`SdkTokens` in `wix/client.ts`, which imports this file). */
interface SdkTokens {
  accessToken: { value: string; expiresAt: number };
  refreshToken: { value: string; role: string };
}

/** The part of an SDK auth strategy that `createClient` calls for a REST module (`@wix/sdk` `build/wixClient.js`). */
export interface SessionStrategy {
  getAuthHeaders(): Promise<{ headers: { Authorization: string } }>;
  getActiveToken(): string;
  getTokens(): SdkTokens;
  setTokens(tokens: SdkTokens): void;
  /** Never read: wixq's client passes `useCDN: false` (docs/wix-api.md 0.3). */
  shouldUseCDN: false;
}

/**
 * The auth strategy of a client that calls Wix with a session wixq already holds (docs/ARCHITECTURE.md, "The SDK
 * client and its auth"): each request gets the session's access token as its `Authorization` header, the way
 * `OAuthStrategy`'s `getAuthHeaders` sends it, and nothing else. It never makes a token request: the session layer
 * (`session/api-session.ts`) hands it a token with time left before each call and renews once on a 401. Unlike
 * `OAuthStrategy` it loads and builds no identity or redirects client, which a call with a stored session never uses.
 */
export function sessionStrategy(tokens: SdkTokens): SessionStrategy {
  let current = copy(tokens);
  return {
    getAuthHeaders: () => Promise.resolve({ headers: { Authorization: current.accessToken.value } }),
    getActiveToken: () => current.accessToken.value,
    getTokens: () => copy(current),
    setTokens: (next) => {
      current = copy(next);
    },
    shouldUseCDN: false,
  };
}

function copy(tokens: SdkTokens): SdkTokens {
  return { accessToken: { ...tokens.accessToken }, refreshToken: { ...tokens.refreshToken } };
}
