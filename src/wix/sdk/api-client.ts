// One re-export per file: each becomes its own lazily loaded chunk, so a command loads only what it calls.
export { createClient, OAuthStrategy } from '@wix/api-client';
