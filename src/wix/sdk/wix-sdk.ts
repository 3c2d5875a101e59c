// One re-export per file: each becomes its own lazily loaded chunk, so a command loads only what it calls.
// @wix/sdk (the renamed @wix/api-client, MIT) is bundled like any MIT package (see docs/ARCHITECTURE.md, "The build");
// the entry points wixq calls are imported by their own subpaths, so the bundle holds the client and the OAuth
// strategy but not the media, app or API-key auth code of its index. The client is here alone: a call with a stored
// session needs only it (wix/sdk/session-strategy.ts); `OAuthStrategy`, with the identity and redirects modules it
// loads and builds a client of, is in wix/sdk/oauth-strategy.ts, for the login flows.
export { createClient } from '@wix/sdk/client';
