// `categories` of @wix/categories (Catalog V3's product categories), from its own package (see stores-products.ts).
export * as categories from '@wix/auto_sdk_categories_categories';
