// `collections` of @wix/data (the Data Collections API), from its own package (see stores-products.ts).
export * as dataCollections from '@wix/auto_sdk_data_collections';
