// `services` of @wix/bookings, from its own package (see stores-products.ts).
export * as services from '@wix/auto_sdk_bookings_services';
