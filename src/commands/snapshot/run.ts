import { existsSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CommandContext } from '../../context.js';
import { ExitCode, IncompleteWalkError, UsageError, WixqError } from '../../errors.js';
import { removeOnExit } from '../../output/files.js';
import { clockOf, writeOutput } from '../../output/io.js';
import { removeLeftovers } from '../../session/lock.js';
import { errorForStatus, parseWixErrorBody, wixErrorText } from '../../wix/error-body.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../version.js';
import { catalogToWire } from '../../wix/catalog.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { notJsonError } from '../../wix/transport.js';
import type { Item } from '../../wix/resources.js';
import {
  addV3Variants,
  dataCollectionEntry,
  oneAhead,
  DATA_INCLUDE_LIMIT,
  readWireList,
  referencedCollection,
  wireDataItems,
  WIRE_CATEGORIES,
  WIRE_COLLECTIONS_V1,
  WIRE_PRODUCTS_V1,
  WIRE_PRODUCTS_V3,
  WIRE_SERVICES,
  type VariantStats,
  type WireCall,
  type WireList,
} from '../../wix/snapshot.js';
import { visitorEmptySnapshotNote } from '../../wix/data.js';
import { DEFAULT_CONCURRENCY } from '../list/flags.js';
import { counted, progressReporter } from '../list/progress.js';


/** A part of the site: the catalog's products, its groups (V1 collections or V3 categories), services. */
type BasePart = 'products' | 'groups' | 'services';

/** Parts asked for: base parts, CMS collections by ID, and `data` (every CMS collection the session can list). */
export interface Parts {
  base: Set<BasePart>;
  data: Set<string>;
  allData: boolean;
}

export interface SnapshotOptions {
  out?: string;
  /** What to read; undefined: everything the session can read. */
  include?: Parts;
  exclude: Parts;
  concurrency: number;
}

const PART_NAMES: Record<string, BasePart> = { products: 'products', collections: 'groups', categories: 'groups', services: 'services' };

function parseParts(values: unknown, flag: string): Parts | undefined {
  if (values === undefined) return undefined;
  const parts: Parts = { base: new Set(), data: new Set(), allData: false };
  for (const value of values as string[]) {
    for (const raw of value.split(',')) {
      const word = raw.trim();
      const part = PART_NAMES[word];
      if (part) parts.base.add(part);
      else if (word === 'data') parts.allData = true;
      else if (word.startsWith('data:') && word.length > 5) parts.data.add(word.slice(5));
      else {
        throw new UsageError(`${flag}: unknown part "${word}"`, {
          hint: 'Parts are products, collections, categories, services and data:<CMS collection ID>, comma-separated: --include products,data:<collection ID>',
        });
      }
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
  const exclude = parseParts(flags.exclude, '--exclude') ?? { base: new Set(), data: new Set(), allData: false };
  if (exclude.allData) throw new UsageError('--exclude takes CMS collections one by one: --exclude data:<collection ID>');
  return { out, include: parseParts(flags.include, '--include'), exclude, concurrency };
}

/** One raw request with the session's token (a 401 renews once, as for `wixq api`); a non-2xx answer is Wix's error. */
function wireCaller(ctx: CommandContext): WireCall {
  const api = ctx.api();
  return (method, path, body) =>
    api.request(`${method} ${path}`, `${DEFAULT_API_URL}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }, ({ status, statusText, headers, text }) => {
      if (status < 200 || status > 299) {
        const error = parseWixErrorBody(text);
        throw errorForStatus(status, `Wix answered ${status}${error.code ? ` ${error.code}` : ''} to ${method} ${path}: ${wixErrorText(error, statusText || 'no details')}`, {
          requestId: headers.get('x-wix-request-id') ?? undefined,
          role: api.role,
          code: error.code,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // A success that is not JSON (a portal page, a cut-off body): exit 5 with what came, like every other call.
        throw notJsonError(`${method} ${path}`, status, Buffer.byteLength(text), headers.get('content-type'), ctx.settings().apiUrl, headers.get('x-wix-request-id') ?? undefined);
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

/**
 * A JSON array written a page at a time, one item per line (a committed snapshot diffs item by item): `head` (the key
 * and `[`, or a collection's object up to its items) goes out with the first page, or at `close` when there was none.
 */
function arrayWriter(sink: Sink, head: string) {
  let started = false;
  let first = true;
  return {
    /** Whether anything of the array was written (a refused first page leaves it unwritten, so it can be read again). */
    get started(): boolean {
      return started;
    },
    async page(values: readonly unknown[]): Promise<void> {
      let text = started ? '' : head;
      started = true;
      for (const value of values) {
        text += `${first ? '' : ','}\n${JSON.stringify(value)}`;
        first = false;
      }
      await sink.write(text);
    },
    async close(tail: string): Promise<void> {
      await sink.write(`${started ? '' : head}${first ? '' : '\n'}${tail}`);
    },
  };
}

/** Why --out cannot be written, in words (the stream would only report it after the site was read, or never). */
function outProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return typeof code === 'string' ? code : String(error);
}

/** Snapshot files are the owner's only: they hold what the session could read, members-only data included (docs/reference.md 3.11). */
const SNAPSHOT_FILE_MODE = 0o600;
/** A temp file of a live pid is kept this long without a write (a slow site); a dead pid's goes at once. */
const SNAPSHOT_TEMP_STALE_MS = 60 * 60 * 1000;

/** A failed write to --out (ENOSPC, EIO): one line, exit 1, and no file (the temp file goes; the old file stays). */
function outWriteError(path: string, error: unknown): WixqError {
  if (error instanceof WixqError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new WixqError(`cannot write --out "${path}": ${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}`, ExitCode.ERROR, {
    hint: `Check that the disk has space and the device works.${existsSync(path) ? ` ${path} is as it was.` : ''}`,
    cause: error,
  });
}

/**
 * --out: a temp file beside it (`.<name>.<pid>.tmp`, 0600), every write awaited and checked, fsync, renamed over the
 * target when complete; a device or a pipe is written directly. The temp files of dead runs are removed first.
 */
async function fileSink(path: string): Promise<Sink> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A run killed hard (SIGKILL, a power cut) left its temp file: the next run removes it, as for tokens.json's.
  removeLeftovers(dirname(path), [new RegExp(`^\\.${name}\\.(?<pid>\\d+)\\.tmp$`)], SNAPSHOT_TEMP_STALE_MS);
  // The file is opened now, so a bad --out is a clear error before any page is read.
  let handle: FileHandle;
  let direct = false;
  try {
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    // A device or a pipe (/dev/stdout, a FIFO) is written as it is: a temp file renamed over it would replace it.
    direct = existing !== undefined && !existing.isFile();
    handle = await open(direct ? path : temp, 'w', SNAPSHOT_FILE_MODE);
    if (!direct) await handle.chmod(SNAPSHOT_FILE_MODE);
  } catch (error) {
    throw new UsageError(`cannot write --out "${path}": ${outProblem(error)}`, { hint: 'Give a file in a directory you can write to: --out site.json' });
  }
  // Ctrl-C, SIGTERM or SIGHUP end the run while pages are in flight: the half-written temp file goes with the process.
  const forget = direct ? () => {} : removeOnExit(temp);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(chunk) {
      try {
        await handle.writeFile(chunk, 'utf8');
      } catch (error) {
        throw outWriteError(path, error);
      }
    },
    async finish() {
      try {
        // A regular file is on disk before it replaces the old one; a device or pipe has nothing to sync.
        if (!direct) await handle.sync();
        await close();
        if (!direct) await rename(temp, path);
      } catch (error) {
        throw outWriteError(path, error);
      }
      forget();
    },
    async abort() {
      await close().catch(() => {});
      if (!direct) await rm(temp, { force: true });
      forget();
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
  const wanted = (part: BasePart): boolean => (options.include ? options.include.base.has(part) : true) && !options.exclude.base.has(part);

  // The catalog version first, asked afresh (not the cached answer) through the detection every command shares: it
  // decides which lists exist, and it starts the session, so the role is known.
  const catalogVersion = catalogToWire((await ctx.catalog(undefined, { fresh: true })).version);
  const stores = catalogVersion === 'V1_CATALOG' || catalogVersion === 'V3_CATALOG';
  if (!stores && options.include && (options.include.base.has('products') || options.include.base.has('groups'))) {
    ctx.warn(`Note: Wix Stores is not installed on this site (${catalogVersion}): no products, collections or categories to read.`);
  }

  const sink = options.out === undefined ? stdoutSink(ctx) : await fileSink(options.out);
  const counts: string[] = [];
  const role: 'visitor' | 'member' = ctx.api().role === 'member' ? 'member' : 'visitor';
  try {
    const source = { clientId, date: new Date(clockOf(ctx.io).now()).toISOString(), role };
    await sink.write(`{\n"wixqSnapshot": ${SNAPSHOT_FORMAT_VERSION},\n"source": ${JSON.stringify(source)},\n"catalogVersion": ${JSON.stringify(catalogVersion)},\n"clientIds": ${JSON.stringify([clientId])}`);

    /**
     * Writes one list. Its key goes out with the first page, so a list whose first request is refused can be read
     * again the way `fallback` says (the list is then still whole in the file).
     */
    const writeList = async (
      list: WireList,
      transform?: (item: Item) => Item,
      fallback?: { list: WireList; notice: string },
      enrich?: (page: Item[]) => Promise<Item[]>,
    ): Promise<void> => {
      const array = arrayWriter(sink, `,\n${JSON.stringify(list.key)}: [`);
      const progress = progressReporter(ctx.io, list.noun);
      try {
        const write = (items: Item[]): Promise<void> => array.page(transform ? items.map(transform) : items);
        // With `enrich` (V3 products: their variants), the walk reads the next page meanwhile.
        const pages = enrich ? oneAhead(enrich, write) : { sink: write, flush: async () => {} };
        const result = await readWireList(list, call, { concurrency: options.concurrency }, { sink: pages.sink, progress: progress.update }).catch(async (error: unknown) => {
          await pages.flush().catch(() => {}); // nothing of a page in flight may land after the failure
          throw error;
        });
        await pages.flush();
        counts.push(counted(result.count, list.noun));
      } catch (error) {
        if (array.started || !fallback || !(error instanceof WixqError) || error.status !== 403) throw error;
        ctx.warn(fallback.notice);
        return writeList(fallback.list, transform);
      } finally {
        progress.done();
      }
      await array.close(']');
    };

    if (stores && wanted('products')) {
      if (catalogVersion === 'V3_CATALOG') {
        // Query Products sends no variant data: each page gets its variants in bulk (Query Variants), Get Product only
        // where that cannot give them (docs/wix-api.md 13).
        const stats: VariantStats = { variants: 0, variantPages: 0, productGets: 0 };
        await writeList(WIRE_PRODUCTS_V3, undefined, undefined, (page) => addV3Variants(page, call, { concurrency: options.concurrency, refused: ctx.warn }, stats));
        // "60 products with 180 variants (2 read one by one)": the products' count is the last one written.
        const gets = stats.productGets > 0 ? ` (${counted(stats.productGets, 'products')} read one by one)` : '';
        if (counts.length > 0) counts[counts.length - 1] += ` with ${counted(stats.variants, 'variants')}${gets}`;
      } else {
        await writeList(WIRE_PRODUCTS_V1);
      }
    }
    if (stores && wanted('groups')) {
      // Wix does not say whether a visitor may ask for hidden categories (docs/wix-api.md 13): if it refuses, the visible ones.
      const visibleOnly = { ...WIRE_CATEGORIES, extra: { ...WIRE_CATEGORIES.extra, returnNonVisibleCategories: false } };
      const notice = 'Note: this session may not read hidden categories; the snapshot holds the visible ones (products may name hidden ones the copy does not have).';
      await (catalogVersion === 'V3_CATALOG' ? writeList(WIRE_CATEGORIES, undefined, { list: visibleOnly, notice }) : writeList(WIRE_COLLECTIONS_V1));
    }
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
    const cms = await cmsCollections(options, call, ctx);
    if (cms.length > 0) await writeDataCollections(cms, { call, ctx, role, sink, concurrency: options.concurrency, exclude: options.exclude.data, counts });
    await sink.write('\n}\n');
    await sink.finish();
  } catch (error) {
    await sink.abort();
    // A list whose pages did not add up (src/wix/pager.ts): no file is written, and stdout is left unterminated.
    if (error instanceof IncompleteWalkError) {
      throw new IncompleteWalkError(`the snapshot stopped: ${error.message}`, error, {
        hint: `${options.out ? `No file was written${existsSync(options.out) ? ` (${options.out} is as it was)` : ''}` : 'The JSON on stdout is left unterminated, so that no emulator loads it'}. Try again; if it keeps happening, the server does not page as Wix does.`,
      });
    }
    throw error;
  }
  ctx.warn(`Snapshot${options.out ? ` written to ${options.out}` : ''} (${role} session): ${counts.join(', ') || 'nothing to read'}.`);
}

/**
 * The CMS collections to read: those named with `--include data:<ID>`, and by default (or with `data`) every one the
 * session can list. Visitor and member tokens may not list them (docs/wix-api.md 12.6): then only named ones.
 */
async function cmsCollections(options: SnapshotOptions, call: WireCall, ctx: CommandContext): Promise<string[]> {
  const named = [...(options.include?.data ?? [])];
  const listAll = options.include === undefined || options.include.allData;
  const ids = new Set(named);
  if (listAll) {
    try {
      const listed = await call('GET', '/wix-data/v2/collections');
      for (const c of (Array.isArray(listed.collections) ? listed.collections : []) as { id?: unknown }[]) if (typeof c.id === 'string') ids.add(c.id);
    } catch (error) {
      if (!(error instanceof WixqError) || (error.status !== 403 && error.status !== 404)) throw error;
      if (named.length === 0) {
        ctx.warn('Note: Wix does not let a visitor or member list the CMS collections; name each one to include it: --include data:<collection ID> (the ID is in the dashboard, CMS > the collection > settings).');
      }
    }
  }
  return [...ids].filter((id) => !options.exclude.data.has(id));
}

interface DataWrite {
  call: WireCall;
  ctx: CommandContext;
  role: 'visitor' | 'member';
  sink: Sink;
  concurrency: number;
  exclude: Set<string>;
  counts: string[];
}

/**
 * Writes `dataCollections`: each collection the session can read, with its items, and the collections its reference
 * fields point at. A collection the session cannot read is left out and the command says so; a members-only one is
 * written only from a member's session, which the command says too. A reference to a collection left out is an error:
 * the copy could not load the file.
 */
async function writeDataCollections(ids: string[], w: DataWrite): Promise<void> {
  await w.sink.write(',\n"dataCollections": [');
  const queue = [...ids];
  const seen = new Set(queue);
  const written = new Set<string>();
  const references: Array<{ from: string; field: string; to: string }> = [];
  // Written with no items from a visitor's session: a members-only collection may read empty (docs/wix-api.md 12.4).
  const emptyForVisitor: string[] = [];
  let firstCollection = true;
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    let wire: Record<string, any>;
    try {
      wire = ((await w.call('GET', `/wix-data/v2/collections/${encodeURIComponent(id)}`)).collection ?? {}) as Record<string, any>;
    } catch (error) {
      if (error instanceof WixqError && error.status === 404) throw new WixqError(`no CMS collection "${id}" on this site`, error.exitCode, { hint: 'Check the collection ID in the dashboard (CMS > the collection > settings).' });
      throw error;
    }
    const entry = dataCollectionEntry(wire, w.role);
    const fields = entry.fields as Record<string, any>[];
    for (const field of fields) {
      const to = referencedCollection(field);
      if (to === undefined) continue;
      references.push({ from: id, field: String(field.key), to });
      if (!seen.has(to) && !w.exclude.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
    const multi = fields.filter((f) => f.type === 'MULTI_REFERENCE').map((f) => String(f.key));
    const array = arrayWriter(w.sink, `${firstCollection ? '' : ','}\n${JSON.stringify(entry).slice(0, -1)},"items": [`);
    let full = false;
    const progress = progressReporter(w.ctx.io, `items of ${id}`);
    try {
      const result = await readWireList(wireDataItems(id, multi), w.call, { concurrency: w.concurrency }, {
        sink: (page) =>
          array.page(
            page.map((dataItem) => {
              const data = { ...((dataItem.data ?? {}) as Item) };
              // Included multi-reference items go back to their ids, as the format holds them.
              for (const key of multi) {
                if (!Array.isArray(data[key])) continue;
                const refs = data[key] as unknown[];
                if (refs.length >= DATA_INCLUDE_LIMIT) full = true;
                data[key] = refs.map((r) => (typeof r === 'object' && r !== null ? (r as { _id?: unknown })._id : r));
              }
              return data;
            }),
          ),
        progress: progress.update,
      });
      await array.close(']}');
      firstCollection = false;
      written.add(id);
      w.counts.push(`${counted(result.count, 'items')} of ${id}`);
      if (result.count === 0 && w.role === 'visitor') emptyForVisitor.push(id);
    } catch (error) {
      // A collection this session may not read: the first page answers 403 before anything of it is written.
      if (array.started || !(error instanceof WixqError) || error.status !== 403) throw error;
      w.ctx.warn(
        w.role === 'visitor'
          ? `Left out data:${id}: a visitor may not read it (members-only or admin). Log in (wixq auth login) to include a members-only collection.`
          : `Left out data:${id}: a member may not read it (admin only).`,
      );
      continue;
    } finally {
      progress.done();
    }
    const read = (entry.permissions as { read?: string } | undefined)?.read;
    if (w.role === 'member' && read !== undefined && read !== 'ANYONE') {
      w.ctx.warn(`Note: data:${id} is readable by ${read === 'SITE_MEMBER_AUTHOR' ? "each member for their own items (this member's items were written)" : 'members only'}; it is in the snapshot because this is a member's session. Keep the file as private as the collection (or --exclude data:${id}).`);
    }
    if (full) w.ctx.warn(`Warning: some items of data:${id} reference ${DATA_INCLUDE_LIMIT} items in one field; references past that were not read.`);
  }
  await w.sink.write(`${firstCollection ? '' : '\n'}]`);
  if (emptyForVisitor.length > 0) w.ctx.warn(visitorEmptySnapshotNote(emptyForVisitor));
  for (const r of references) {
    if (written.has(r.from) && !written.has(r.to)) {
      const excluded = w.exclude.has(r.to);
      const why = excluded ? 'it is excluded' : `this ${w.role} session may not read it`;
      throw new WixqError(`data:${r.from} references data:${r.to} (field ${r.field}), but ${why}: the copy could not resolve the references`, undefined, {
        hint: excluded
          ? `Leave data:${r.from} out too (--exclude data:${r.from}), or keep data:${r.to} in (drop --exclude data:${r.to}).`
          : `Leave data:${r.from} out too (--exclude data:${r.from})${w.role === 'visitor' ? ', or log in as a member (wixq auth login)' : ''}.`,
      });
    }
  }
}
