import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CommandContext } from '../../context.js';
import { UsageError, WixqError } from '../../errors.js';
import { writeOutput } from '../../output/io.js';
import { errorForStatus, parseWixErrorBody, wixErrorText } from '../../wix/error-body.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import type { Item } from '../../wix/resources.js';
import {
  readWireList,
  WIRE_CATEGORIES,
  WIRE_COLLECTIONS_V1,
  WIRE_PRODUCTS_V1,
  WIRE_PRODUCTS_V3,
  WIRE_SERVICES,
  type WireCall,
  type WireList,
} from '../../wix/snapshot.js';
import { DEFAULT_CONCURRENCY } from '../list/flags.js';
import { progressReporter } from '../list/progress.js';

/** The snapshot format this wixq writes (the emulator refuses newer ones: docs/reference.md 7.3). */
export const SNAPSHOT_VERSION = 1;

/** A part of the site: the catalog's products, its groups (V1 collections or V3 categories), services. */
type BasePart = 'products' | 'groups' | 'services';

export interface SnapshotOptions {
  out?: string;
  /** What to read; undefined: everything the session can read. */
  include?: Set<BasePart>;
  exclude: Set<BasePart>;
  concurrency: number;
}

const PART_NAMES: Record<string, BasePart> = { products: 'products', collections: 'groups', categories: 'groups', services: 'services' };

function parseParts(values: unknown, flag: string): Set<BasePart> | undefined {
  if (values === undefined) return undefined;
  const parts = new Set<BasePart>();
  for (const value of values as string[]) {
    for (const raw of value.split(',')) {
      const word = raw.trim();
      const part = PART_NAMES[word];
      if (!part) {
        throw new UsageError(`${flag}: unknown part "${word}"`, { hint: 'Parts are products, collections, categories and services, comma-separated: --include products,services' });
      }
      parts.add(part);
    }
  }
  return parts;
}

/** Checks the flags before anything is read or sent. */
export function parseSnapshotFlags(flags: Record<string, unknown>): SnapshotOptions {
  const out = flags.out as string | undefined;
  if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file name: --out site.json');
  let concurrency = DEFAULT_CONCURRENCY;
  if (flags.concurrency !== undefined) {
    concurrency = Number(flags.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError(`--concurrency must be a whole number from 1 to 16 (got "${String(flags.concurrency)}")`);
  }
  return { out, include: parseParts(flags.include, '--include'), exclude: parseParts(flags.exclude, '--exclude') ?? new Set(), concurrency };
}

/** One raw request with the session's token (a 401 renews once, as for `wixq api`); a non-2xx answer is Wix's error. */
function wireCaller(ctx: CommandContext): WireCall {
  const transport = ctx.transport();
  const api = ctx.api();
  return (method, path, body) =>
    api.withToken(`${method} ${path}`, async (accessToken) => {
      const headers = new Headers({ Authorization: accessToken });
      if (body !== undefined) headers.set('Content-Type', 'application/json');
      const res = await transport.fetch(`${DEFAULT_API_URL}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) {
        const error = parseWixErrorBody(text);
        throw errorForStatus(res.status, `Wix answered ${res.status}${error.code ? ` ${error.code}` : ''} to ${method} ${path}: ${wixErrorText(error, res.statusText || 'no details')}`, {
          requestId: res.headers.get('x-wix-request-id') ?? undefined,
          role: api.role,
          code: error.code,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new WixqError(`the answer to ${method} ${path} is not JSON`);
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WixqError(`the answer to ${method} ${path} is not a JSON object`);
      return json as Record<string, unknown>;
    });
}

/** Where the snapshot goes: a temp file renamed over --out when complete, or stdout. */
interface Sink {
  write(chunk: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

function fileSink(path: string): Sink {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const stream = createWriteStream(temp, { mode: 0o644 });
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  closed.catch(() => {});
  return {
    write: (chunk) => writeOutput(stream, chunk),
    async finish() {
      stream.end();
      await closed;
      await rename(temp, path);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}

function stdoutSink(ctx: CommandContext): Sink {
  return { write: (chunk) => writeOutput(ctx.io.out, chunk), finish: async () => {}, abort: async () => {} };
}

/** `wixq snapshot`: reads the site through the session and writes it in the emulator's data format, a list at a time. */
export async function runSnapshot(options: SnapshotOptions, ctx: CommandContext): Promise<void> {
  const clientId = ctx.clientId();
  const call = wireCaller(ctx);
  const wanted = (part: BasePart): boolean => (options.include ? options.include.has(part) : true) && !options.exclude.has(part);

  // The catalog version first: it decides which lists exist, and it starts the session (so the role is known).
  const catalogVersion = String((await call('GET', '/stores/v3/provision/version')).catalogVersion ?? 'V1_CATALOG');
  const role = ctx.api().role === 'member' ? 'member' : 'visitor';
  const stores = catalogVersion === 'V1_CATALOG' || catalogVersion === 'V3_CATALOG';
  if (!stores && options.include && (options.include.has('products') || options.include.has('groups'))) {
    ctx.warn(`Note: Wix Stores is not installed on this site (${catalogVersion}): no products, collections or categories to read.`);
  }

  const sink = options.out === undefined ? stdoutSink(ctx) : fileSink(options.out);
  const counts: string[] = [];
  try {
    const source = { clientId, date: new Date(ctx.io.clock?.now() ?? Date.now()).toISOString(), role };
    await sink.write(`{\n"wixqSnapshot": ${SNAPSHOT_VERSION},\n"source": ${JSON.stringify(source)},\n"catalogVersion": ${JSON.stringify(catalogVersion)},\n"clientIds": ${JSON.stringify([clientId])}`);

    const writeList = async (list: WireList, transform?: (item: Item) => Item): Promise<void> => {
      await sink.write(`,\n${JSON.stringify(list.key)}: [`);
      const progress = progressReporter(ctx.io, list.noun);
      let first = true;
      try {
        const result = await readWireList(list, call, { concurrency: options.concurrency }, {
          sink: async (items) => {
            // One write per page: each item on its own line, so a committed snapshot diffs item by item.
            let text = '';
            for (const item of items) {
              text += `${first ? '' : ','}\n${JSON.stringify(transform ? transform(item) : item)}`;
              first = false;
            }
            await sink.write(text);
          },
          progress: progress.update,
        });
        if (result.stoppedReason) throw new WixqError(`the snapshot of ${list.noun} stopped after ${result.count}: ${result.stoppedReason}`);
        counts.push(`${result.count.toLocaleString('en-US')} ${list.noun}`);
      } finally {
        progress.done();
      }
      await sink.write(`${first ? '' : '\n'}]`);
    };

    if (stores && wanted('products')) await writeList(catalogVersion === 'V3_CATALOG' ? WIRE_PRODUCTS_V3 : WIRE_PRODUCTS_V1);
    if (stores && wanted('groups')) await writeList(catalogVersion === 'V3_CATALOG' ? WIRE_CATEGORIES : WIRE_COLLECTIONS_V1);
    if (wanted('services')) {
      // The staff are named from each service's STAFF_MEMBER_DETAILS, which the snapshot takes off the service.
      const staff = new Map<string, string>();
      await writeList(WIRE_SERVICES, (service) => {
        const { staffMemberDetails, ...wire } = service as Item & { staffMemberDetails?: { staffMembers?: { staffMemberId?: string; name?: string }[] } };
        for (const s of staffMemberDetails?.staffMembers ?? []) if (s.staffMemberId) staff.set(s.staffMemberId, s.name || 'Staff member');
        for (const id of (wire.staffMemberIds as string[] | undefined) ?? []) if (!staff.has(id)) staff.set(id, 'Staff member');
        return wire;
      });
      await sink.write(`,\n"staff": [${[...staff].map(([id, name], i) => `${i ? ',' : ''}\n${JSON.stringify({ id, name })}`).join('')}${staff.size ? '\n' : ''}]`);
    }
    await sink.write('\n}\n');
    await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  ctx.warn(`Snapshot${options.out ? ` written to ${options.out}` : ''} (${role} session): ${counts.join(', ') || 'nothing to read'}.`);
}
