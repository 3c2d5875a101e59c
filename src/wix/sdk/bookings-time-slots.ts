export { availabilityTimeSlots, eventTimeSlots } from '@wix/bookings';
