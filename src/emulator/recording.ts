/** What the emulator records and the faults it plays: shared by the server and its control routes. */

/** One request as `GET /__emulator/requests` reports it. */
export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The decoded `.r` of a GET, the JSON (or form) body of a POST; null when there is none. */
  body: unknown;
  headers: Record<string, string>;
  /** For token requests: the grant type asked for. */
  grantType?: string;
  /** Who the request's access token speaks for, when it carried a well-signed one (even expired or revoked). */
  identity: { role: string; visitorId: string; memberId?: string } | null;
  /** 0 while in flight, and for dropped connections. */
  status: number;
  requestId: string;
}

/** A planned failure for the next `count` requests whose path starts with `path`. */
export interface Fault {
  id: string;
  path: string;
  method?: string;
  status?: number;
  count: number;
  delayMs?: number;
  drop?: boolean;
  retryAfter?: string;
  body?: unknown;
}
