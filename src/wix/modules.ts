/** The SDK modules wixq uses, each imported lazily from its own chunk (`@wix/stores` alone holds dozens). */
export const moduleLoaders = {
  products: () => import('./sdk/stores-products.js').then((m) => m.products),
  productsV3: () => import('./sdk/stores-products-v3.js').then((m) => m.productsV3),
  collections: () => import('./sdk/stores-collections.js').then((m) => m.collections),
  categories: () => import('./sdk/categories.js').then((m) => m.categories),
  catalogVersioning: () => import('./sdk/stores-catalog-versioning.js').then((m) => m.catalogVersioning),
  services: () => import('./sdk/bookings-services.js').then((m) => m.services),
  availabilityTimeSlots: () => import('./sdk/bookings-time-slots.js').then((m) => m.availabilityTimeSlots),
  eventTimeSlots: () => import('./sdk/bookings-time-slots.js').then((m) => m.eventTimeSlots),
  dataItems: () => import('./sdk/data-items.js').then((m) => m.items),
  dataCollections: () => import('./sdk/data-collections.js').then((m) => m.dataCollections),
  currentCart: () => import('./sdk/ecom-current-cart.js').then((m) => m.currentCart),
  redirects: () => import('./sdk/redirects.js').then((m) => m.redirects),
} as const;

export type ModuleName = keyof typeof moduleLoaders;
