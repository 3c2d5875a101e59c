// `currentCart` of @wix/ecom (eCommerce Cart V1, the visitor's or member's own cart), from its own package (see
// stores-products.ts): the cart Wix's own `@wix/headless-ecom` storefront uses.
export * as currentCart from '@wix/auto_sdk_ecom_current-cart';
