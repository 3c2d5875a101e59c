import type { IncomingHttpHeaders } from 'node:http';
import type { FieldViolation } from './query-engine.js';
import type { VerifyResult } from './tokens.js';

/** One decoded request as route handlers see it. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names, as node gives them. */
  headers: IncomingHttpHeaders;
  /** The JSON body, the decoded `.r` of a GET, or the fields of a form body; undefined when there is none. */
  body: unknown;
  /** Values of `:name` segments of the matched route. */
  params: Record<string, string>;
  /** `http://host:port` as the client addressed us (from the Host header). */
  origin: string;
  requestId: string;
  /** The access token check, when an Authorization header was sent. */
  auth?: VerifyResult & { token: string };
}

/** What a handler answers. Success is always 200 JSON unless a handler serves a page or a redirect. */
export interface Reply {
  status?: number;
  json?: unknown;
  html?: string;
  /** 302 to this absolute URL. */
  redirect?: string;
  headers?: Record<string, string>;
}

/** An error answer in Wix's envelope (docs/wix-api.md 5.1); thrown by handlers, written by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** An application error: `{message, details:{applicationError:{code, description, data}}}`. */
export function applicationError(
  status: number,
  code: string,
  description: string,
  options: { message?: string; data?: Record<string, unknown>; headers?: Record<string, string> } = {},
): HttpError {
  return new HttpError(
    status,
    { message: options.message ?? description, details: { applicationError: { code, description, data: options.data ?? {} } } },
    options.headers,
  );
}

/** A 400 validation error with field violations (docs/wix-api.md 5.1). */
export function validationError(violations: FieldViolation[]): HttpError {
  const first = violations[0];
  const message = first ? `INVALID_ARGUMENT: "${first.field}" ${first.description}` : 'INVALID_ARGUMENT';
  return new HttpError(400, { message, details: { validationError: { fieldViolations: violations } } });
}

/** A 400 validation error on one field. */
export function invalidField(field: string, description: string, violatedRule = 'INVALID'): HttpError {
  return validationError([{ field, description, violatedRule, ruleName: 'VALIDATION_ERROR', data: {} }]);
}

/** An error as Wix's gateway sends it for Stores and Categories: a message and an applicationError carrying only its code. */
export function wixCodeError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, { message, details: { applicationError: { code } } });
}

/** 404 for an unknown product, variant, collection or category, in the body real Wix sends. */
export function entityNotFound(): HttpError {
  // Logged from real sites (e.g. GET /stores/v3/products/{id}); same envelope as https://dev.wix.com/docs/rest/articles/getting-started/errors
  return wixCodeError(404, 'NOT_FOUND', 'Entity not found');
}

/** 404 for an unknown entity, with an entity-specific code such as SERVICE_NOT_FOUND. */
export function notFound(code: string, description: string): HttpError {
  return applicationError(404, code, description, { message: `Entity not found: ${description}` });
}

/** 403 for an identity that may not do this (visitor or member asking for admin data). */
export function permissionDenied(description: string): HttpError {
  return applicationError(403, 'PERMISSION_DENIED', description, { message: `PERMISSION_DENIED: ${description}` });
}

/** The body Wix-like servers send for a bare status (faults, fail-rate, rate limit). */
export function defaultErrorBody(status: number): unknown {
  if (status >= 500) return { message: '', details: {} };
  const codes: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ALREADY_EXISTS',
    428: 'FAILED_PRECONDITION',
    429: 'RESOURCE_EXHAUSTED',
  };
  const code = codes[status] ?? `HTTP_${status}`;
  return { message: code, details: { applicationError: { code, description: `Emulated ${status} response`, data: {} } } };
}

/**
 * How deeply a request may nest objects and arrays: the emulator's bound (Wix documents none; docs/reference.md 7.4).
 * A body, a `.r` or a cursor nested deeper is refused with a 400 before anything walks it, so that the query engine's
 * recursion, the query cache's keys and the request recording never meet a value deeper than this.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests objects and arrays more than `max` levels deep; iterative, so any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Encodes a JSON value as base64url, as `.r` parameters and cursors are. */
export function encodeBase64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes base64url JSON, or undefined when it is not. */
export function decodeBase64UrlJson(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The request body as an object (`{}` when absent or not an object). */
export function bodyObject(req: EmulatorRequest): Record<string, unknown> {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}
