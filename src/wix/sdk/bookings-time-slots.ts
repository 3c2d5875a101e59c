// `availabilityTimeSlots` and `eventTimeSlots` of @wix/bookings, from their own packages (see stores-products.ts).
export * as availabilityTimeSlots from '@wix/auto_sdk_bookings_availability-time-slots';
export * as eventTimeSlots from '@wix/auto_sdk_bookings_event-time-slots';
