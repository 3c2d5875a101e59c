/** The parts of a site file both formats read the same way: clients, members, staff, schedules, the catalog version and switches, the login's redirect style. */
import { createRandom, hashString, randomGuid } from '../random.js';
import { AUTHORIZE_REDIRECTS, type AuthorizeRedirect, type CatalogVersion, type MemberStatus, type ServiceSchedule, type SiteClient, type SiteData, type SiteMember, type StaffMember } from '../types.js';
import type { Checker, Json } from './checker.js';

export function guidFrom(text: string): string {
  return randomGuid(createRandom(hashString(text)));
}

export const SERVICE_TYPES = new Set(['APPOINTMENT', 'CLASS', 'COURSE']);

const MEMBER_STATUSES = new Set<MemberStatus>(['ACTIVE', 'PENDING_EMAIL_VERIFICATION', 'PENDING_OWNER_APPROVAL']);

export function loadMember(raw: unknown, i: number, c: Checker): SiteMember {
  const where = `members[${i}]`;
  const m = c.object(raw, where);
  const email = c.string(m, 'email', where, true);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) c.fail(`${where}.email`, 'expected an email address');
  const password = c.string(m, 'password', where, true);
  const status = (c.string(m, 'status', where) ?? 'ACTIVE') as MemberStatus;
  if (!MEMBER_STATUSES.has(status)) c.fail(`${where}.status`, 'expected ACTIVE, PENDING_EMAIL_VERIFICATION or PENDING_OWNER_APPROVAL');
  const captchaRequired = c.boolean(m, 'captchaRequired', where);
  const name = c.string(m, 'name', where);
  return { id: c.string(m, 'id', where) ?? guidFrom(`member/${email.toLowerCase()}`), email, password, status, ...(captchaRequired && { captchaRequired }), ...(name && { name }) };
}

export function loadClient(raw: unknown, i: number, c: Checker): SiteClient {
  if (typeof raw === 'string') {
    if (raw.trim() === '') c.fail(`clientIds[${i}]`, 'expected a non-empty string');
    return { id: raw };
  }
  const where = `clientIds[${i}]`;
  const o = c.object(raw, where);
  const id = c.string(o, 'id', where, true);
  const redirectUris = c.stringArray(o, 'redirectUris', where);
  redirectUris?.forEach((u, ui) => {
    try {
      new URL(u);
    } catch {
      c.fail(`${where}.redirectUris[${ui}]`, 'expected an absolute URL');
    }
  });
  const name = c.string(o, 'name', where);
  return { id, ...(name && { name }), ...(redirectUris && { redirectUris }) };
}

export function loadStaff(raw: unknown, i: number, c: Checker): StaffMember {
  const where = `staff[${i}]`;
  const s = c.object(raw, where);
  const id = c.string(s, 'id', where, true);
  const name = c.string(s, 'name', where, true);
  let workingHours: StaffMember['workingHours'];
  if (s.workingHours !== undefined) {
    const wh = c.object(s.workingHours, `${where}.workingHours`);
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 24;
    if (!ok(wh.start) || !ok(wh.end) || (wh.start as number) >= (wh.end as number)) {
      c.fail(`${where}.workingHours`, 'expected {start, end} whole hours with 0 <= start < end <= 24');
    }
    workingHours = { start: wh.start as number, end: wh.end as number };
  }
  return { id, name, ...(workingHours && { workingHours }) };
}

export function loadSchedules(root: Json, c: Checker): Record<string, ServiceSchedule> {
  const schedules: Record<string, ServiceSchedule> = {};
  if (root.schedules !== undefined) {
    const raw = c.object(root.schedules, 'schedules');
    for (const [serviceId, value] of Object.entries(raw)) {
      const where = `schedules.${serviceId}`;
      const s = c.object(value, where);
      if (typeof s.minutes !== 'number' || !Number.isInteger(s.minutes) || s.minutes <= 0) c.fail(`${where}.minutes`, 'expected a positive whole number of minutes');
      schedules[serviceId] = s as unknown as ServiceSchedule;
    }
  }
  return schedules;
}

export function catalogVersionOf(value: unknown, c: Checker): CatalogVersion {
  if (value === undefined) return 'V1_CATALOG';
  if (value === 'v1' || value === 'V1_CATALOG') return 'V1_CATALOG';
  if (value === 'v3' || value === 'V3_CATALOG') return 'V3_CATALOG';
  if (value === 'none' || value === 'STORES_NOT_INSTALLED') return 'STORES_NOT_INSTALLED';
  return c.fail('catalogVersion', 'expected "v1", "v3" or "none"');
}

export function authorizeRedirectOf(value: unknown, c: Checker): AuthorizeRedirect | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(AUTHORIZE_REDIRECTS as readonly string[]).includes(value)) c.fail('authorizeRedirect', `expected ${AUTHORIZE_REDIRECTS.map((v) => `"${v}"`).join(', ')}`);
  return value as AuthorizeRedirect;
}

/** The catalog switches a data file may set: `v1ReaderShim` (true or false) and `refuseVersionEndpoint` (403 or 404). */
export function catalogSwitchesOf(root: Json, c: Checker): Pick<SiteData, 'v1ReaderShim' | 'refuseVersionEndpoint'> {
  const shim = c.boolean(root, 'v1ReaderShim', '(top level)');
  const refusal = root.refuseVersionEndpoint;
  if (refusal !== undefined && refusal !== 403 && refusal !== 404) c.fail('refuseVersionEndpoint', 'expected 403 or 404');
  return { ...(shim !== undefined && { v1ReaderShim: shim }), ...(refusal !== undefined && { refuseVersionEndpoint: refusal as 403 | 404 }) };
}
