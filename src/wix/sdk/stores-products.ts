// The `products` module of @wix/stores, imported from its own package: through the @wix/stores barrel the bundler
// puts every Stores module wixq uses into one shared chunk, and `products list` would load all of them.
export * as products from '@wix/auto_sdk_stores_products';
