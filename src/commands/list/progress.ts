import { clockOf, type IO } from '../../output/io.js';
import { groupDigits } from '../../output/numbers.js';

/**
 * A one-line progress counter on stderr, only when stderr is a terminal (docs/reference.md section 5): the items so far
 * and the total the site has (`Fetched 5 of 234 products…`, also when --limit asks for 5).
 */
export function progressReporter(io: IO, noun: string): { update: (count: number, total: number | undefined) => void; done: () => void } {
  if (!io.stderrIsTTY) return { update: () => {}, done: () => {} };
  let shown = false;
  let last = 0;
  return {
    update(count, total) {
      const now = clockOf(io).now();
      if (now - last < 100) return; // a terminal does not need more than ten frames a second
      last = now;
      shown = true;
      const of = total === undefined ? '' : ` of ${groupDigits(total)}`;
      io.err.write(`\r\u001b[2KFetched ${groupDigits(count)}${of} ${noun}…`);
    },
    done() {
      if (shown) io.err.write('\r\u001b[2K');
    },
  };
}

/**
 * What a list says on stderr when --limit ended it short of everything: how many there are in all. (A walk that could
 * not deliver what was asked never gets here: it is the incomplete walk, an error.)
 */
export function listEndNotice(result: { count: number; total?: number; more: boolean; maybeMore?: boolean }, noun: string): string | undefined {
  const shown = groupDigits(result.count);
  if (!result.more) return result.maybeMore ? `Showing ${shown} ${noun}; there may be more (use --all or --limit).` : undefined;
  return result.total !== undefined
    ? `Showing ${shown} of ${groupDigits(result.total)} ${noun} (use --all or --limit).`
    : `Showing ${shown} ${noun}; there are more (use --all or --limit).`;
}

/** A count with its noun, singular for one: `1 product`, `1 category`, `15,000 items` (`noun` is the plural). */
export function counted(count: number, noun: string): string {
  const one = noun === 'categories' ? 'category' : noun.replace(/s$/, '');
  return `${groupDigits(count)} ${count === 1 ? one : noun}`;
}
