import { existsSync } from 'node:fs';
import type { CommandContext } from '../../context.js';
import { IncompleteWalkError, WixqError } from '../../errors.js';
import { clockOf } from '../../output/io.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../version.js';
import { catalogToWire } from '../../wix/catalog.js';
import { listForNoun } from '../../specs/lists.js';
import type { Item } from '../../wix/resources.js';
import {
  addV3Variants,
  oneAhead,
  readWireList,
  WIRE_CATEGORIES,
  WIRE_COLLECTIONS_V1,
  WIRE_PRODUCTS_V1,
  WIRE_PRODUCTS_V3,
  WIRE_SERVICES,
  type VariantStats,
  type WireList,
} from '../../wix/snapshot.js';
import { counted, progressReporter } from '../list/progress.js';
import { cmsCollections, writeDataCollections } from './cms.js';
import type { BasePart, SnapshotOptions } from './flags.js';
import { arrayWriter } from './json-stream.js';
import { fileSink, stdoutSink } from './sinks.js';
import { wireCaller } from './wire-call.js';

/**
 * `wixq snapshot`, split by job: flags.ts (the flags and parts), wire-call.ts (the raw calls), sinks.ts (--out's temp
 * file or stdout), json-stream.ts (a JSON array a page at a time), cms.ts (the CMS collections and their reference
 * closure); this file reads the lists in order and writes the file.
 */

/** `wixq snapshot`: reads the site through the session and writes it in the emulator's data format, a list at a time. */
export async function runSnapshot(options: SnapshotOptions, ctx: CommandContext): Promise<void> {
  const clientId = ctx.clientId();
  const call = wireCaller(ctx);
  const wanted = (part: BasePart): boolean => (options.include ? options.include.base.has(part) : true) && !options.exclude.base.has(part);

  // The catalog version first, asked afresh (not the cached answer) through the detection every command shares: it
  // decides which lists exist, and it starts the session, so the role is known.
  const catalog = (await ctx.catalog(undefined, { fresh: true })).version;
  const catalogVersion = catalogToWire(catalog);
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
      // The table's catalog → list choice (src/specs/lists.ts), as for `products list`.
      if (listForNoun('products', catalog) === 'productsV3') {
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
      await (listForNoun('collections', catalog) === 'categories' ? writeList(WIRE_CATEGORIES, undefined, { list: visibleOnly, notice }) : writeList(WIRE_COLLECTIONS_V1));
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

