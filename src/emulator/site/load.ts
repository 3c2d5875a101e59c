/** Loads and validates a site from JSON (`--data FILE`, or a snapshot): the file read, its top level checked, then its format's parts (`load/`). */
import { readFileSync } from 'node:fs';
import { formatMoney } from './catalog.js';
import type { SiteData } from './types.js';
import { Checker, SiteDataError } from './load/checker.js';
import { loadClient, loadMember } from './load/common.js';
import { parseDataFile } from './load/data-file.js';
import { parseSnapshot, snapshotVersionOf } from './load/snapshot.js';

export { SiteDataError };

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates parsed JSON as a site; `source` names it in error messages. */
export function parseSiteData(json: unknown, source = 'site data'): SiteData {
  const c = new Checker(source);
  const root = c.object(json, '(top level)');
  // First: a file of a newer format says so, rather than failing on whatever field changed.
  const snapshotVersion = snapshotVersionOf(root, c);
  const currency = c.string(root, 'currency', '(top level)') ?? 'USD';
  try {
    formatMoney(0, currency);
  } catch {
    c.fail('currency', 'expected an ISO 4217 currency code such as USD');
  }
  const timeZone = c.string(root, 'timeZone', '(top level)') ?? 'UTC';
  if (!validTimeZone(timeZone)) c.fail('timeZone', `unknown IANA time zone ${timeZone}`);
  const siteUrl = c.string(root, 'siteUrl', '(top level)') ?? 'https://example.wixsite.com/site';
  const clients = c.array(root, 'clientIds', true).map((r, i) => loadClient(r, i, c));
  if (clients.length === 0) c.fail('clientIds', 'needs at least one client ID');
  const members = c.array(root, 'members', false).map((r, i) => loadMember(r, i, c));
  const emails = new Set<string>();
  members.forEach((m, i) => {
    if (emails.has(m.email.toLowerCase())) c.fail(`members[${i}].email`, `duplicate email ${m.email}`);
    emails.add(m.email.toLowerCase());
  });
  if (snapshotVersion !== undefined) return parseSnapshot(root, c, snapshotVersion, { clients, members, currency, timeZone, siteUrl });
  return parseDataFile(root, c, { clients, members, currency, timeZone, siteUrl });
}

/** Reads, parses and validates a site file; throws SiteDataError with one clear line. */
export function loadSiteFile(path: string): SiteData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SiteDataError(`cannot read data file ${path}${code ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SiteDataError(`data file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSiteData(json, `data file ${path}`);
}
