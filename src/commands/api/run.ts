import { readFile } from 'node:fs/promises';
import type { CommandContext } from '../../context.js';
import type { RawResponse } from '../../session/api-session.js';
import { UsageError, type WixqError } from '../../errors.js';
import { writeOutput, type IO } from '../../output/io.js';
import { createListWriter, type ListWriter } from '../../output/render.js';
import { errorForStatus, parseWixErrorBody, wixErrorText } from '../../wix/error-body.js';
import { DEFAULT_API_URL, WIX_API_HOSTS } from '../../wix/hosts.js';
import { headerValueProblem } from '../../wix/http-fetch.js';
import { walkAnyList } from '../../wix/pager.js';
import { isRetryableRequest, notJsonError } from '../../wix/transport.js';

/** The flags of `wixq api` as commander hands them over. */
export interface ApiFlags {
  data?: string;
  header?: string[];
  paginate?: boolean;
  include?: boolean;
}

/** A checked `wixq api` request: nothing is sent until every part of it is valid. */
export interface ApiRequest {
  method: string;
  /** Always on Wix's API host; the transport maps it onto --api-url. */
  url: string;
  /** The path and query, for messages. */
  display: string;
  headers: Array<[string, string]>;
  /** The body text as given (sent unchanged) and its parsed JSON. */
  body?: { text: string; json: unknown };
  paginate: boolean;
  include: boolean;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Checks the method, path, headers and body (reading @file or stdin); every mistake is exit 2 before any request. */
export async function parseApiRequest(method: string, path: string, flags: ApiFlags, io: IO, apiUrl: string | undefined): Promise<ApiRequest> {
  const m = method.toUpperCase();
  if (!METHODS.has(m)) {
    throw new UsageError(`unknown HTTP method "${method}"`, { hint: `Use one of ${[...METHODS].join(', ')}, e.g.: wixq api GET /stores-reader/v1/products/<ID>` });
  }
  const url = resolveUrl(path, apiUrl);
  const headers = (flags.header ?? []).map(parseHeader);
  let body: ApiRequest['body'];
  if (flags.data !== undefined) {
    if (m === 'GET' || m === 'HEAD') {
      throw new UsageError(`a ${m} request carries no body, but --data was given`, {
        hint: 'Wix query endpoints also accept the query as a POST body: wixq api POST <path> --data \'{"query":{}}\'',
      });
    }
    body = await readBody(flags.data, io);
  }
  const paginate = flags.paginate === true;
  if (paginate) {
    if (m !== 'POST') {
      throw new UsageError(`--paginate needs a POST query (the paging lives in the request body), not ${m}`, {
        hint: 'For example: wixq api POST /stores-reader/v1/products/query-platformized --data \'{"query":{"paging":{"limit":100}}}\' --paginate',
      });
    }
    if (body !== undefined && !isObject(body.json)) throw new UsageError('--paginate needs a JSON object body such as {"query":{}}');
    body ??= { text: '{"query":{}}', json: { query: {} } };
  }
  const parsed = new URL(url);
  return { method: m, url, display: `${parsed.pathname}${parsed.search}`, headers, body, paginate, include: flags.include === true };
}

/** A path under the Wix API, or a full Wix URL; the session token is never sent to any other host. */
function resolveUrl(path: string, apiUrl: string | undefined): string {
  const text = path.trim();
  if (text === '') throw new UsageError('the path is empty', { hint: 'For example: wixq api GET /stores/v3/provision/version' });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new UsageError(`"${text}" is not a valid URL`);
    }
    if (parsed.protocol === 'https:' && WIX_API_HOSTS.has(parsed.host)) return `${DEFAULT_API_URL}${parsed.pathname}${parsed.search}`;
    const base = apiUrl?.replace(/\/+$/, '');
    if (base && (text === base || text.startsWith(`${base}/`) || text.startsWith(`${base}?`))) return `${DEFAULT_API_URL}${text.slice(base.length) || '/'}`;
    throw new UsageError(`wixq api sends the session token only to the Wix API, not to ${parsed.host}`, {
      hint: `Give a path (/stores/v3/provision/version) or a ${DEFAULT_API_URL}/... URL${base ? ` (or one under the --api-url ${base})` : ''}.`,
    });
  }
  return `${DEFAULT_API_URL}${text.startsWith('/') ? '' : '/'}${text}`;
}

/** Headers wixq sets from what it sends: a value of the user's would contradict the body (and hang a GET). */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding']);

/** `-H "name: value"`, as curl and gh take it; the value must be one HTTP can carry (visible ASCII, spaces, tabs). */
function parseHeader(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`bad header "${printable(raw)}": expected name:value`, { hint: 'For example: -H "Accept-Language: de"' });
  }
  if (FRAMING_HEADERS.has(name.toLowerCase())) {
    throw new UsageError(`-H ${name} cannot be set: wixq sets it from the body it sends`, { hint: 'Drop the -H; give the body with --data.' });
  }
  const value = raw.slice(colon + 1).trim();
  const what = headerValueProblem(value);
  if (what !== undefined) {
    throw new UsageError(`bad header ${name}: its value contains ${what}, which an HTTP header cannot carry`, {
      hint: 'Header values are plain ASCII text; percent-encode or drop what is not.',
    });
  }
  return [name, value];
}

/** Text for a message with control characters shown as escapes, so that a line break cannot forge a line. */
function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** --data as inline JSON, @file or - (stdin); bad JSON names where it broke. */
async function readBody(data: string, io: IO): Promise<{ text: string; json: unknown }> {
  let text: string;
  let source: string;
  if (data === '-') {
    text = await readStream(io.stdin);
    source = 'stdin';
  } else if (data.startsWith('@')) {
    const file = data.slice(1);
    if (file === '') throw new UsageError('--data @ needs a file name: --data @body.json');
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UsageError(`cannot read --data file "${file}"${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
    }
    source = `the file ${file}`;
  } else {
    text = data;
    source = '--data';
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    // JSON.parse quotes the text it failed on: fine for what was typed, never for a file or stdin (it may be a secret).
    const reason = error instanceof Error ? error.message : String(error);
    const said = source === '--data' ? `: ${reason}` : jsonErrorPlace(reason, text);
    throw new UsageError(`${source} is not valid JSON${said}`, { hint: 'For example: --data \'{"query":{"paging":{"limit":10}}}\'' });
  }
}

/** Where a JSON text broke, without any of its content: " (line 3, column 7)", " (it ends too early)", or nothing. */
function jsonErrorPlace(reason: string, text: string): string {
  if (/unexpected end/i.test(reason)) return ' (it ends too early)';
  const at = /at position (\d+)/.exec(reason);
  if (!at) return text.trim() === '' ? ' (it is empty)' : '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A response read whole: status, headers, body text. */
type ApiResponse = RawResponse;

/** `wixq api`: sends the request with the session's token and prints the response JSON (or, with --paginate, every item). */
export async function runApi(request: ApiRequest, ctx: CommandContext): Promise<void> {
  if (request.paginate) return paginate(request, ctx);
  const response = await send(request, request.body?.text, ctx);
  // Only a HEAD, a 204 or a 205 has no body to show.
  if (response.text === '' && (request.method === 'HEAD' || response.status === 204 || response.status === 205)) return;
  const json = parseJson(response.text);
  if (json !== undefined) return writeOutput(ctx.io.out, `${JSON.stringify(json, null, 2)}\n`);
  // A success that is not JSON (an HTML portal page, a cut-off body, nothing): shown as it came, and exit 5.
  if (response.text !== '') await writeOutput(ctx.io.out, response.text.endsWith('\n') ? response.text : `${response.text}\n`);
  const requestId = response.headers.get('x-wix-request-id') ?? undefined;
  throw notJsonError(`${request.method} ${request.display}`, response.status, Buffer.byteLength(response.text), response.headers.get('content-type'), ctx.settings().apiUrl, requestId);
}

/**
 * One request with the session's token. It goes through ctx.call, so a 401 renews the session once and sends it again
 * (a 401 means Wix refused it before doing anything); other errors come back mapped to wixq's exit codes.
 */
async function send(request: ApiRequest, body: string | undefined, ctx: CommandContext): Promise<ApiResponse> {
  const api = ctx.api();
  // The user's headers come last, so they win (as with curl and gh).
  return api.request(`${request.method} ${request.display}`, request.url, { method: request.method, body, headers: request.headers }, (response) => {
    if (request.include) writeHead(ctx.io, response);
    if (response.status < 200 || response.status > 299) {
      if (request.include && response.text !== '') ctx.io.err.write(`${response.text}\n`);
      throw apiError(response, request, api.role);
    }
    return response;
  });
}

/** The status line and headers, on stderr (stdout stays the JSON a pipe expects). */
function writeHead(io: IO, response: ApiResponse): void {
  const lines = [`HTTP ${response.status} ${response.statusText}`.trimEnd()];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  io.err.write(`${lines.join('\n')}\n\n`);
}

/** Maps a non-2xx answer to wixq's exit codes, with Wix's own words and the request ID. */
function apiError(response: ApiResponse, request: ApiRequest, role: string): WixqError {
  const { status } = response;
  const body = parseWixErrorBody(response.text);
  const plain = parseJson(response.text) === undefined && response.text.trim() !== '' && response.text.length < 200 ? response.text.trim() : '';
  const said = wixErrorText(body, plain || response.statusText || 'no details');
  const retried = isRetryableRequest(request.method, request.url);
  return errorForStatus(status, `Wix answered ${status}${body.code ? ` ${body.code}` : ''} to ${request.method} ${request.display}: ${said}${(status === 429 || status >= 500) && retried ? ' (still after retries)' : ''}`, {
    requestId: response.headers.get('x-wix-request-id') ?? undefined,
    role,
    code: body.code,
    hints: {
      badRequest: "Check the path and the --data body against the endpoint's reference.",
      notFound: 'Check the path (and the ID in it); unknown paths also answer 404.',
      forbidden:
        role === 'member'
          ? 'A member session cannot call this; it needs admin permissions (an API key), which wixq does not use.'
          : 'Visitors cannot call this. Log in as a member (wixq auth login) if members may; admin endpoints need an API key, which wixq does not use.',
      temporary: retried ? 'Wait a minute and try again.' : 'This request may change data, so it was sent once and not retried: check the result before you send it again.',
    },
  });
}

/**
 * Follows offset or cursor paging and streams the list's items as one JSON array (or NDJSON with -o ndjson), through
 * the one pager (`walkAnyList` in src/wix/pager.ts), generic over any path: every page is accounted for, as in
 * `--all` (the incomplete walk is exit 5, the JSON array left unterminated).
 */
async function paginate(request: ApiRequest, ctx: CommandContext): Promise<void> {
  // The items in the run's format like any list (columns from the first item's plain fields for tables and CSV).
  const { format } = ctx.settings();
  let writer: ListWriter | undefined;
  await walkAnyList({
    what: `${request.method} ${request.display}`,
    path: request.display,
    first: request.body!.json as Record<string, unknown>,
    fetchPage: async (text) => {
      const response = await send(request, text ?? request.body!.text, ctx);
      const json = parseJson(response.text);
      // A page that is not JSON is exit 5 with what came, as without --paginate.
      if (json === undefined) {
        throw notJsonError(`${request.method} ${request.display}`, response.status, Buffer.byteLength(response.text), response.headers.get('content-type'), ctx.settings().apiUrl, response.headers.get('x-wix-request-id') ?? undefined);
      }
      return json;
    },
    sink: async (items, noun) => {
      writer ??= createListWriter(ctx.io, format, { columns: [], noun });
      for (const item of items) await writer.write(item as Record<string, unknown>);
    },
  });
  await writer?.close();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
