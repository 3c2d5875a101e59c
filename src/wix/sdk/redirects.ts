// `redirects` of @wix/redirects (Headless redirect sessions: the hosted checkout URL), from its own package (see stores-products.ts).
export * as redirects from '@wix/auto_sdk_redirects_redirects';
