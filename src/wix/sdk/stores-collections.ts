// `collections` of @wix/stores, from its own package (see stores-products.ts).
export * as collections from '@wix/auto_sdk_stores_collections';
