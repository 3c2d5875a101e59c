// One re-export per file: each becomes its own lazily loaded chunk, so a command loads only what it calls.
// @wix/sdk (the renamed @wix/api-client, MIT) is bundled like any MIT package (see docs/ARCHITECTURE.md, "The build");
// its two entry points wixq calls are imported by their own subpaths, so the bundle holds the client and the OAuth
// strategy but not the media, app or API-key auth code of its index.
export { createClient } from '@wix/sdk/client';
export { OAuthStrategy } from '@wix/sdk/auth/oauth2';
