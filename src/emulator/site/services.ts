import { createRandom, mixSeed, randomGuid, randomHex, type Random } from './random.js';
import { BOOKINGS_APP_ID, WIX_MEETINGS_APP_ID, type BookingsService, type ServiceSchedule, type StaffMember } from './types.js';

/**
 * Generates the demo Bookings services in the Services V2 wire shape (@wix/auto_sdk_bookings_services `Service`),
 * as a real site holds them: some hidden, some of another app (Wix Meetings), some at several business locations.
 */

type Price = { kind: 'FIXED'; value: number } | { kind: 'VARIED'; min: number; max: number } | { kind: 'NO_FEE' } | { kind: 'CUSTOM'; text: string };

interface ServiceSpec {
  name: string;
  type: 'APPOINTMENT' | 'CLASS' | 'COURSE';
  category: string;
  tagLine: string;
  description: string;
  minutes: number;
  capacity: number;
  price: Price;
  staff: number[];
  /** Where the service is offered: business locations, or at the customer's place. */
  locations: LocationKey[];
  hidden?: boolean;
  /** The app the service belongs to (default: Wix Bookings). */
  appId?: string;
  /** Classes and courses: weekdays (0 = Sunday) and local start hours of sessions. */
  weekly?: { days: number[]; hours: number[] };
  /** Courses: number of weekly sessions. */
  weeks?: number;
}

const STAFF_NAMES: readonly [string, number, number][] = [
  ['Maya Lopez', 9, 17],
  ['Jonas Berg', 8, 16],
  ['Priya Nair', 10, 18],
  ['Tom Walsh', 7, 15],
  ['Aiko Tanaka', 12, 20],
  ['Lena Fischer', 9, 13],
];

const CATEGORIES = ['Wellness', 'Fitness', 'Arts & Crafts', 'Learning', 'Beauty'] as const;

const SPECS: readonly ServiceSpec[] = [
  { name: 'Haircut & Style', type: 'APPOINTMENT', category: 'Beauty', tagLine: 'A fresh cut, washed and styled', description: 'Consultation, wash, cut and finish with one of our stylists.', minutes: 60, capacity: 1, price: { kind: 'FIXED', value: 45 }, staff: [0, 2], locations: ['downtown', 'uptown'] },
  { name: 'Deep Tissue Massage', type: 'APPOINTMENT', category: 'Wellness', tagLine: 'Release tension in 60 minutes', description: 'A firm full-body massage that targets deep muscle layers.', minutes: 60, capacity: 1, price: { kind: 'FIXED', value: 90 }, staff: [1, 4], locations: ['downtown', 'riverside', 'uptown'] },
  { name: 'Personal Training Session', type: 'APPOINTMENT', category: 'Fitness', tagLine: 'One-to-one coaching', description: 'A session planned around your goals; the price depends on the trainer.', minutes: 45, capacity: 1, price: { kind: 'VARIED', min: 50, max: 80 }, staff: [3, 1], locations: ['riverside', 'downtown'] },
  { name: 'Nutrition Consultation', type: 'APPOINTMENT', category: 'Wellness', tagLine: 'Eat well, feel well', description: 'Review your diet with a registered nutritionist and leave with a plan.', minutes: 45, capacity: 1, price: { kind: 'FIXED', value: 70 }, staff: [2], locations: ['downtown'] },
  { name: 'Free Intro Call', type: 'APPOINTMENT', category: 'Learning', tagLine: 'Meet us before you book', description: 'A free 30-minute call to find the right service for you.', minutes: 30, capacity: 1, price: { kind: 'NO_FEE' }, staff: [0, 5], locations: ['downtown'] },
  { name: 'Photography Mini Session', type: 'APPOINTMENT', category: 'Arts & Crafts', tagLine: 'Portraits at your place', description: 'A short portrait session at your home; priced on request.', minutes: 90, capacity: 1, price: { kind: 'CUSTOM', text: 'Price on request' }, staff: [4], locations: ['customer'] },
  { name: 'Guitar Lesson', type: 'APPOINTMENT', category: 'Learning', tagLine: 'Learn the songs you love', description: 'Private lessons for every level, acoustic or electric.', minutes: 45, capacity: 1, price: { kind: 'FIXED', value: 40 }, staff: [5], locations: ['riverside'] },
  { name: 'Morning Yoga Flow', type: 'CLASS', category: 'Fitness', tagLine: 'Start the day grounded', description: 'A gentle vinyasa class for all levels.', minutes: 60, capacity: 12, price: { kind: 'FIXED', value: 20 }, staff: [0], locations: ['downtown'], weekly: { days: [1, 3, 5], hours: [7] } },
  { name: 'HIIT Bootcamp', type: 'CLASS', category: 'Fitness', tagLine: 'Thirty minutes, all out', description: 'High-intensity intervals in a small group.', minutes: 30, capacity: 20, price: { kind: 'FIXED', value: 15 }, staff: [3], locations: ['riverside'], weekly: { days: [1, 2, 3, 4, 5], hours: [8, 18] } },
  { name: 'Pottery Workshop', type: 'CLASS', category: 'Arts & Crafts', tagLine: 'Hands in the clay', description: 'Throw your first bowl on the wheel; materials included.', minutes: 120, capacity: 8, price: { kind: 'FIXED', value: 55 }, staff: [4], locations: ['downtown'], weekly: { days: [6], hours: [10, 14] } },
  { name: 'Pilates Mat Class', type: 'CLASS', category: 'Fitness', tagLine: 'Core strength and posture', description: 'Mat pilates for strength, balance and flexibility.', minutes: 50, capacity: 10, price: { kind: 'FIXED', value: 18 }, staff: [2], locations: ['riverside', 'uptown'], weekly: { days: [2, 4], hours: [12, 19] } },
  { name: 'Community Meditation', type: 'CLASS', category: 'Wellness', tagLine: 'Sit together, breathe together', description: 'A free guided meditation open to everyone.', minutes: 45, capacity: 30, price: { kind: 'NO_FEE' }, staff: [5], locations: ['downtown'], weekly: { days: [0], hours: [9] } },
  { name: 'Beginner Watercolour Course', type: 'COURSE', category: 'Arts & Crafts', tagLine: 'Six weeks of painting', description: 'A six-week course covering washes, layering and colour mixing.', minutes: 120, capacity: 10, price: { kind: 'FIXED', value: 240 }, staff: [4], locations: ['downtown'], weekly: { days: [3], hours: [18] }, weeks: 6 },
  { name: 'Intro to Spanish', type: 'COURSE', category: 'Learning', tagLine: 'Hola in eight weeks', description: 'An eight-week beginner course in conversational Spanish.', minutes: 90, capacity: 12, price: { kind: 'FIXED', value: 320 }, staff: [1], locations: ['riverside'], weekly: { days: [2], hours: [19] }, weeks: 8 },
  { name: 'Sourdough Baking Course', type: 'COURSE', category: 'Learning', tagLine: 'From starter to loaf', description: 'Four Saturday mornings of bread baking; price depends on the kit.', minutes: 180, capacity: 6, price: { kind: 'VARIED', min: 180, max: 220 }, staff: [0], locations: ['downtown'], weekly: { days: [6], hours: [9] }, weeks: 4 },
  { name: 'Staff Onboarding (internal)', type: 'APPOINTMENT', category: 'Learning', tagLine: 'Not bookable by customers', description: 'An internal session, hidden from the public site.', minutes: 60, capacity: 1, price: { kind: 'NO_FEE' }, staff: [5], locations: ['downtown'], hidden: true },
  { name: 'VIP Styling Session', type: 'APPOINTMENT', category: 'Beauty', tagLine: 'By invitation only', description: 'An unlisted session for returning clients, booked through a private link.', minutes: 90, capacity: 1, price: { kind: 'FIXED', value: 150 }, staff: [0], locations: ['uptown'], hidden: true },
  { name: 'Instructor Training', type: 'CLASS', category: 'Fitness', tagLine: 'For our coaches', description: 'A closed practice class for instructors, hidden from the public site.', minutes: 60, capacity: 8, price: { kind: 'NO_FEE' }, staff: [3], locations: ['riverside'], hidden: true, weekly: { days: [6], hours: [16] } },
  { name: 'Discovery Meeting', type: 'APPOINTMENT', category: 'Learning', tagLine: 'Booked through Wix Meetings', description: 'A video meeting scheduled by the Wix Meetings app, not by Wix Bookings.', minutes: 30, capacity: 1, price: { kind: 'NO_FEE' }, staff: [2], locations: ['customer'], appId: WIX_MEETINGS_APP_ID },
  { name: 'Partner Check-in', type: 'APPOINTMENT', category: 'Learning', tagLine: 'Booked through Wix Meetings', description: 'A recurring check-in with partners, managed by the Wix Meetings app.', minutes: 45, capacity: 1, price: { kind: 'NO_FEE' }, staff: [1], locations: ['downtown'], appId: WIX_MEETINGS_APP_ID },
];

const LOCATIONS = {
  downtown: { name: 'Downtown Studio', street: ['1', 'Main St'], city: 'Springfield', postalCode: '62701' },
  riverside: { name: 'Riverside Gym', street: ['200', 'River Rd'], city: 'Springfield', postalCode: '62704' },
  uptown: { name: 'Uptown Loft', street: ['48', 'Oak Ave'], city: 'Springfield', postalCode: '62702' },
} as const;

type LocationKey = keyof typeof LOCATIONS | 'customer';

function money(value: number, currency: string): Record<string, unknown> {
  return { value: String(value), currency };
}

function payment(price: Price, currency: string): Record<string, unknown> {
  const options = { online: price.kind !== 'CUSTOM', inPerson: true, deposit: false, pricingPlan: false };
  switch (price.kind) {
    case 'FIXED':
      return { rateType: 'FIXED', fixed: { price: money(price.value, currency) }, options };
    case 'VARIED':
      return {
        rateType: 'VARIED',
        varied: { defaultPrice: money(price.min, currency), minPrice: money(price.min, currency), maxPrice: money(price.max, currency) },
        options,
      };
    case 'NO_FEE':
      return { rateType: 'NO_FEE', options: { ...options, online: false } };
    case 'CUSTOM':
      return { rateType: 'CUSTOM', custom: { description: price.text }, options };
  }
}

function image(random: Random, name: string): Record<string, unknown> {
  const id = `${randomHex(random, 6)}_${randomHex(random, 32)}~mv2.jpg`;
  return { id, url: `https://static.wixstatic.com/media/${id}`, width: 1200, height: 800, filename: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.jpg` };
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}


/** Options of the services generator. */
export interface ServicesOptions {
  seed: number;
  currency: string;
  siteUrl: string;
}

/** Generates the demo staff and services; deterministic in `seed`. */
export function generateServices(options: ServicesOptions): {
  services: BookingsService[];
  staff: StaffMember[];
  schedules: Record<string, ServiceSchedule>;
} {
  const schedules: Record<string, ServiceSchedule> = {};
  const random = createRandom(mixSeed(options.seed, 0xb00c));
  const staff: StaffMember[] = STAFF_NAMES.map(([name, start, end]) => ({ id: randomGuid(random), name, workingHours: { start, end } }));
  const categoryIds = new Map(CATEGORIES.map((c) => [c, randomGuid(random)]));
  // Later additions draw from their own stream, so earlier ids stay what they were for a seed.
  const extra = createRandom(mixSeed(options.seed, 0xb00d));
  const locationIds: Record<keyof typeof LOCATIONS, string> = { downtown: randomGuid(random), riverside: randomGuid(random), uptown: randomGuid(extra) };
  const locationOf = (key: LocationKey): Record<string, unknown> => {
    if (key === 'customer') return { type: 'CUSTOMER' };
    const l = LOCATIONS[key];
    const address = {
      streetAddress: { number: l.street[0], name: l.street[1] },
      city: l.city,
      subdivision: 'US-IL',
      country: 'US',
      postalCode: l.postalCode,
      formattedAddress: `${l.street[0]} ${l.street[1]}, ${l.city}, IL ${l.postalCode}, USA`,
    };
    return {
      id: locationIds[key],
      type: 'BUSINESS',
      business: { id: locationIds[key], name: l.name, default: key === 'downtown', address },
      calculatedAddress: address,
    };
  };
  const created = Date.UTC(2024, 2, 1, 12, 0, 0);
  const services = SPECS.map((spec, i): BookingsService => {
    const id = randomGuid(random);
    const slug = slugify(spec.name);
    const createdDate = new Date(created + i * 86_400_000 * 3).toISOString();
    const updatedDate = new Date(created + i * 86_400_000 * 3 + 86_400_000 * 40).toISOString();
    const main = image(random, spec.name);
    const schedule: Record<string, unknown> = {
      id: randomGuid(random),
      availabilityConstraints: { sessionDurations: [spec.minutes], timeBetweenSessions: spec.type === 'APPOINTMENT' ? 15 : 0 },
    };
    const page = (kind: string) => ({ relativePath: `/${kind}/${slug}`, url: `${options.siteUrl}/${kind}/${slug}` });
    const service: BookingsService = {
      id,
      appId: spec.appId ?? BOOKINGS_APP_ID,
      type: spec.type,
      sortOrder: i,
      name: spec.name,
      description: spec.description,
      tagLine: spec.tagLine,
      defaultCapacity: spec.capacity,
      media: { mainMedia: { image: main }, items: [{ image: main }], coverMedia: { image: main } },
      hidden: spec.hidden ?? false,
      category: { id: categoryIds.get(spec.category as (typeof CATEGORIES)[number]), name: spec.category, sortOrder: CATEGORIES.indexOf(spec.category as (typeof CATEGORIES)[number]) },
      form: { id: '00000000-0000-0000-0000-000000000000' },
      payment: payment(spec.price, options.currency),
      onlineBooking: { enabled: !spec.hidden, requireManualApproval: false, allowMultipleRequests: false },
      conferencing: { enabled: false },
      locations: spec.locations.map(locationOf),
      bookingPolicy: { id: '00000000-0000-0000-0000-000000000001', name: 'Default policy', default: true },
      schedule,
      staffMemberIds: spec.staff.map((s) => staff[s]!.id),
      supportedSlugs: [{ name: slug, custom: false, createdDate }],
      mainSlug: { name: slug, custom: false, createdDate },
      urls: { servicePage: page('service-page'), bookingPage: page('booking-calendar'), calendarPage: page('booking-calendar') },
      createdDate,
      updatedDate,
      revision: String(1 + (i % 4)),
    };
    schedules[id] = { minutes: spec.minutes, ...(spec.weekly && { weekly: spec.weekly }), ...(spec.weeks && { weeks: spec.weeks }) };
    return service;
  });
  return { services, staff, schedules };
}
