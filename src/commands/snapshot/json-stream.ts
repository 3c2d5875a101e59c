import type { Sink } from './sinks.js';

/**
 * A JSON array written a page at a time, one item per line (a committed snapshot diffs item by item): `head` (the key
 * and `[`, or a collection's object up to its items) goes out with the first page, or at `close` when there was none.
 */
export function arrayWriter(sink: Sink, head: string) {
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

