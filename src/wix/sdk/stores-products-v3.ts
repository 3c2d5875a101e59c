// `productsV3` of @wix/stores, from its own package (see stores-products.ts).
export * as productsV3 from '@wix/auto_sdk_stores_products-v-3';
