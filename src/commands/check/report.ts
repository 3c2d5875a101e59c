import type { CatalogVersion } from '../../wix/catalog.js';

/** The shape of `wixq check`'s report, shared by the run and its CI writers. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One line of the checklist (and one object of the JSON report). */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** Wall-clock time of the check, requests included. */
  ms: number;
  details: string;
  /** Resources: how many there are (the API's total when it gives one). */
  count?: number;
  /** False when only the first page could be counted. */
  countExact?: boolean;
  required?: boolean;
  min?: number;
  /** Set when the check failed because a request failed. */
  error?: { message: string; exitCode: number; requestId?: string; hint?: string };
}

/** What `wixq check -o json` prints. */
export interface CheckReport {
  ok: boolean;
  exitCode: number;
  profile?: string;
  clientId?: string;
  apiUrl?: string;
  role?: string;
  catalog?: CatalogVersion;
  checks: CheckResult[];
  hints: string[];
}
