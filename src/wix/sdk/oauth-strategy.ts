// The SDK's OAuthStrategy, in a chunk of its own (see wix-sdk.ts): only the login flows load it.
export { OAuthStrategy } from '@wix/sdk/auth/oauth2';
