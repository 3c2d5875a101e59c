// `catalogVersioning` of @wix/stores, from its own package (see stores-products.ts).
export * as catalogVersioning from '@wix/auto_sdk_stores_catalog-versioning';
