export { services } from '@wix/bookings';
