// One re-export per file: each becomes its own lazily loaded chunk, so a command loads only what it calls.
// @wix/api-client is not bundled (its licence is UNLICENSED; see docs/ARCHITECTURE.md, "The build"), so Node loads it
// from node_modules as published, and its index would also load the media and app/API-key auth code wixq never calls
// (@wix/image-kit, jose). The two files wixq uses, then; the version is pinned in package.json, so these paths hold.
export { createClient } from '@wix/api-client/build/wixClient.js';
export { OAuthStrategy } from '@wix/api-client/build/auth/oauth2/OAuthStrategy.js';
