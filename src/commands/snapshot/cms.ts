import type { CommandContext } from '../../context.js';
import { WixqError } from '../../errors.js';
import { visitorEmptySnapshotNote } from '../../wix/data.js';
import type { Item } from '../../wix/resources.js';
import { dataCollectionEntry, DATA_INCLUDE_LIMIT, readWireList, referencedCollection, wireDataItems, type WireCall } from '../../wix/snapshot.js';
import { counted, progressReporter } from '../list/progress.js';
import type { SnapshotOptions } from './flags.js';
import { arrayWriter } from './json-stream.js';
import type { Sink } from './sinks.js';

/**
 * The CMS collections to read: those named with `--include data:<ID>`, and by default (or with `data`) every one the
 * session can list. Visitor and member tokens may not list them (docs/wix-api.md 12.6): then only named ones.
 */
export async function cmsCollections(options: SnapshotOptions, call: WireCall, ctx: CommandContext): Promise<string[]> {
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

export interface DataWrite {
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
export async function writeDataCollections(ids: string[], w: DataWrite): Promise<void> {
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
