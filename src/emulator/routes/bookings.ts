import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';

/** Registers the Bookings routes (services, time slots, availability calendar). */
export function registerBookingsRoutes(_router: Router, _state: EmulatorState): void {
  // Filled in by the Bookings increment.
}
