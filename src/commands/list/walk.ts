import type { CommandContext } from '../../context.js';
import type { ListWriter } from '../../output/render.js';
import { walkList, type FetchPage, type Pagination, type PagerOptions, type PagerResult } from '../../wix/pager.js';
import type { Item } from '../../wix/resources.js';
import { listEndNotice, progressReporter } from './progress.js';

/**
 * Walks a list into a writer, with progress on a terminal and the list-end notice on stderr. The writer is made on
 * the first page from its first item (a CMS item's columns come from its own fields), or at the end of an empty list.
 */
export async function walkToWriter(
  list: Pagination,
  fetchPage: FetchPage,
  options: PagerOptions,
  makeWriter: (sample: Item | undefined) => ListWriter,
  ctx: CommandContext,
): Promise<void> {
  let writer: ListWriter | undefined;
  const progress = progressReporter(ctx.io, list.noun);
  let result: PagerResult;
  try {
    result = await walkList(list, fetchPage, options, {
      sink: async (items) => {
        writer ??= makeWriter(items[0]);
        for (const item of items) await writer.write(item);
      },
      progress: progress.update,
    });
  } finally {
    progress.done();
  }
  await (writer ?? makeWriter(undefined)).close();
  const notice = listEndNotice(result, list.noun);
  if (notice) ctx.warn(notice);
}
