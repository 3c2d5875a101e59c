/** The host the SDK talks to; `--api-url` / WIXQ_API_URL replaces it (and the edge host) for every request. */
export const DEFAULT_API_URL = 'https://www.wixapis.com';

/**
 * Wix's API hosts: requests to these are redirected to the configured API URL. wixq's client sends everything to
 * www (`useCDN: false`, src/wix/client.ts); `@wix/sdk` left to itself sends module calls to edge (docs/wix-api.md 0.3).
 */
export const WIX_API_HOSTS: ReadonlySet<string> = new Set(['www.wixapis.com', 'edge.wixapis.com']);

/** Where the SDK and wixq get tokens (mapped onto the API URL like every request). */
export const TOKEN_URL = `${DEFAULT_API_URL}/oauth2/token`;
