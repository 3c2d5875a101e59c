import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { OutputClosedError, type IO } from '../../src/output/io.js';
import { createListWriter, writeItem, type ColumnSpec, type OutputFormat } from '../../src/output/render.js';

/** A stdout that records every chunk. */
class RecordingStream extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    callback();
  }
  text(): string {
    return this.chunks.join('');
  }
}

/** A stdout whose reader is slow: each chunk is held until the test releases it, so write() returns false. */
class SlowStream extends Writable {
  readonly chunks: string[] = [];
  private pending: Array<() => void> = [];
  constructor() {
    super({ highWaterMark: 16 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    this.pending.push(() => callback());
  }
  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
}

/** A stdout whose reader has gone: every write fails with EPIPE, like a pipe into `head`. */
class BrokenPipeStream extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  }
}

interface FakeIO extends IO {
  outText(): string;
  errText(): string;
}

function fakeIO(options: { columns?: number; color?: boolean; tty?: boolean; out?: NodeJS.WritableStream } = {}): FakeIO {
  const out = options.out ?? new RecordingStream();
  const err = new RecordingStream();
  return {
    out,
    err,
    stdin: new PassThrough(),
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    columns: options.columns ?? 80,
    color: options.color ?? false,
    env: {},
    outText: () => (out instanceof RecordingStream ? out.text() : ''),
    errText: () => err.text(),
  };
}

const columns: ColumnSpec[] = [
  { header: 'ID', path: '_id' },
  { header: 'NAME', path: 'name' },
  { header: 'PRICE', path: 'price.price', format: (value) => (typeof value === 'number' ? value.toFixed(2) : '') },
];

const items: Array<Record<string, unknown>> = [
  { _id: 'p1', name: 'Red shirt', price: { price: 10, currency: 'USD' }, collectionIds: ['c1', 'c2'], ribbon: 'Sale' },
  { _id: 'p2', name: 'Mug, "large"\nwith lid', price: { price: 7.5, currency: 'USD' }, collectionIds: [] },
];

async function writeAll(io: IO, format: OutputFormat, list: Array<Record<string, unknown>>, fields?: string[]): Promise<number> {
  const writer = createListWriter(io, format, { columns, fields, noun: 'products' });
  for (const item of list) await writer.write(item);
  return (await writer.close()).count;
}

/** A small RFC 4180 reader, to check that what the CSV writer quotes comes back unchanged. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
    i++;
  }
  return rows;
}

describe('json', () => {
  it('streams one array with the same text as JSON.stringify(items, null, 2)', async () => {
    const io = fakeIO();
    expect(await writeAll(io, 'json', items)).toBe(2);
    expect(io.outText()).toBe(JSON.stringify(items, null, 2) + '\n');
    expect(io.errText()).toBe('');
  });

  it('writes each item as it arrives', async () => {
    const io = fakeIO();
    const writer = createListWriter(io, 'json', { columns, noun: 'products' });
    await writer.write(items[0]!);
    expect(io.outText()).toBe('[\n' + '  ' + JSON.stringify(items[0], null, 2).replace(/\n/g, '\n  '));
    await writer.close();
  });

  it('writes [] for an empty list, with no notice', async () => {
    const io = fakeIO();
    expect(await writeAll(io, 'json', [])).toBe(0);
    expect(io.outText()).toBe('[]\n');
    expect(io.errText()).toBe('');
  });

  it('projects --fields', async () => {
    const io = fakeIO();
    await writeAll(io, 'json', items, ['_id', 'price.price']);
    expect(JSON.parse(io.outText())).toEqual([
      { _id: 'p1', price: { price: 10 } },
      { _id: 'p2', price: { price: 7.5 } },
    ]);
  });

  it('round-trips any list of JSON objects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 5 }), async (list) => {
        const io = fakeIO();
        await writeAll(io, 'json', list);
        expect(io.outText()).toBe(JSON.stringify(list, null, 2) + '\n');
      }),
      { numRuns: 100 },
    );
  });

  it('writes one pretty object for a get', async () => {
    const io = fakeIO();
    await writeItem(io, 'json', items[0]!, { columns });
    expect(io.outText()).toBe(JSON.stringify(items[0], null, 2) + '\n');
    const projected = fakeIO();
    await writeItem(projected, 'json', items[0]!, { columns, fields: ['name'] });
    expect(projected.outText()).toBe('{\n  "name": "Red shirt"\n}\n');
  });
});

describe('ndjson', () => {
  it('writes one compact object per line, as each item arrives', async () => {
    const io = fakeIO();
    const writer = createListWriter(io, 'ndjson', { columns, noun: 'products' });
    await writer.write(items[0]!);
    expect(io.outText()).toBe(JSON.stringify(items[0]) + '\n');
    await writer.write(items[1]!);
    expect(await writer.close()).toEqual({ count: 2 });
    expect(io.outText().split('\n')).toHaveLength(3);
    expect(io.outText().trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(items);
  });

  it('projects, writes nothing for an empty list, and one line for a get', async () => {
    const io = fakeIO();
    await writeAll(io, 'ndjson', items, ['name']);
    expect(io.outText()).toBe('{"name":"Red shirt"}\n{"name":"Mug, \\"large\\"\\nwith lid"}\n');
    const empty = fakeIO();
    await writeAll(empty, 'ndjson', []);
    expect(empty.outText()).toBe('');
    const one = fakeIO();
    await writeItem(one, 'ndjson', items[1]!, { columns, fields: ['_id'] });
    expect(one.outText()).toBe('{"_id":"p2"}\n');
  });
});

describe('csv and tsv', () => {
  it('writes a header of the column paths and raw values, quoted per RFC 4180', async () => {
    const io = fakeIO();
    await writeAll(io, 'csv', items);
    expect(io.outText()).toBe('_id,name,price.price\np1,Red shirt,10\np2,"Mug, ""large""\nwith lid",7.5\n');
  });

  it('uses --fields for the header and formats lists and objects', async () => {
    const io = fakeIO();
    await writeAll(io, 'csv', items, ['_id', 'collectionIds', 'price', 'ribbon']);
    expect(readCsv(io.outText())).toEqual([
      ['_id', 'collectionIds', 'price', 'ribbon'],
      ['p1', 'c1, c2', '{"price":10,"currency":"USD"}', 'Sale'],
      ['p2', '', '{"price":7.5,"currency":"USD"}', ''],
    ]);
  });

  it('round-trips any cell text through CSV', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.string(), fc.string()), { minLength: 1, maxLength: 4 }), async (pairs) => {
        const io = fakeIO();
        await writeAll(
          io,
          'csv',
          pairs.map(([a, b]) => ({ a, b })),
          ['a', 'b'],
        );
        expect(readCsv(io.outText())).toEqual([['a', 'b'], ...pairs]);
      }),
      { numRuns: 200 },
    );
  });

  it('escapes tab, newline and backslash in TSV', async () => {
    const io = fakeIO();
    await writeAll(io, 'tsv', [{ _id: 'a\tb', name: 'line1\nline2\r', price: { price: 1 } }, { _id: 'c:\\dir', name: '', price: {} }]);
    expect(io.outText()).toBe('_id\tname\tprice.price\na\\tb\tline1\\nline2\\r\t1\nc:\\\\dir\t\t\n');
  });

  it('writes only the header for an empty list, and header plus one row for a get', async () => {
    const io = fakeIO();
    await writeAll(io, 'tsv', []);
    expect(io.outText()).toBe('_id\tname\tprice.price\n');
    expect(io.errText()).toBe('');
    const one = fakeIO();
    await writeItem(one, 'csv', items[0]!, { columns, fields: ['name', 'price.currency'] });
    expect(one.outText()).toBe('name,price.currency\nRed shirt,USD\n');
  });

  it('writes rows as items arrive', async () => {
    const io = fakeIO();
    const writer = createListWriter(io, 'csv', { columns, noun: 'products' });
    await writer.write(items[0]!);
    expect(io.outText()).toBe('_id,name,price.price\np1,Red shirt,10\n');
    await writer.close();
  });
});

describe('table', () => {
  const many = Array.from({ length: 12 }, (_, i) => ({
    _id: `product-${i}-${'x'.repeat(20)}`,
    name: `A product with a long descriptive name number ${i}`,
    price: { price: i * 10.5 },
  }));

  it.each([40, 120])('fits %i columns: no line is wider', async (width) => {
    const io = fakeIO({ columns: width });
    expect(await writeAll(io, 'table', many)).toBe(12);
    const lines = io.outText().trimEnd().split('\n');
    expect(lines).toHaveLength(12 + 4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    expect(io.outText()).toContain('ID');
    // The IDs are never cut: at 40 columns they take the room and the columns after them that cannot fit are left out.
    for (const item of many) expect(io.outText()).toContain(item._id);
    if (width === 40) expect(io.errText()).toMatch(/columns? did not fit the terminal/);
    else expect(io.outText()).toContain('A product with a long descriptive name number 11');
  });

  it('uses column formats and right-aligns numbers', async () => {
    const io = fakeIO({ columns: 120 });
    await writeAll(io, 'table', items);
    expect(io.outText()).toMatch(/│ +10\.00 │/);
    expect(io.outText()).toMatch(/│ +7\.50 │/);
    expect(io.outText()).toContain('Mug, "large" with lid');
  });

  it('uses the --fields paths as headers', async () => {
    const io = fakeIO({ columns: 120 });
    await writeAll(io, 'table', items, ['name', 'collectionIds']);
    const header = io.outText().split('\n')[1]!;
    expect(header).toMatch(/│ name +│ collectionIds │/);
    expect(io.outText()).toContain('c1, c2');
    expect(io.outText()).not.toContain('ID');
  });

  it('colours headers only when colour is on', async () => {
    const plain = fakeIO({ columns: 80, color: false });
    await writeAll(plain, 'table', items);
    expect(plain.outText()).not.toContain('\u001b[');
    const coloured = fakeIO({ columns: 80, color: true });
    await writeAll(coloured, 'table', items);
    expect(coloured.outText()).toContain('\u001b[');
  });

  it('writes nothing to stdout and a notice to stderr for an empty list', async () => {
    const io = fakeIO();
    expect(await writeAll(io, 'table', [])).toBe(0);
    expect(io.outText()).toBe('');
    expect(io.errText()).toBe('No products found.\n');
  });

  it('says on stderr when columns had to be left out', async () => {
    const io = fakeIO({ columns: 20 });
    await writeAll(io, 'table', items, ['_id', 'name', 'price.price', 'ribbon', 'collectionIds']);
    for (const line of io.outText().trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(20);
    expect(io.errText()).toMatch(/^\d columns? did not fit the terminal/);
  });

  it('writes a key/value table for a get: the columns, the fields, or the top-level scalars', async () => {
    const byColumns = fakeIO({ columns: 60 });
    await writeItem(byColumns, 'table', items[0]!, { columns });
    expect(byColumns.outText()).toMatch(/│ ID +│ p1 +│/);
    expect(byColumns.outText()).toMatch(/│ PRICE +│ 10\.00 +│/);

    const byFields = fakeIO({ columns: 60 });
    await writeItem(byFields, 'table', items[0]!, { columns, fields: ['collectionIds'] });
    expect(byFields.outText()).toMatch(/│ collectionIds │ c1, c2 │/);

    const byScalars = fakeIO({ columns: 60 });
    await writeItem(byScalars, 'table', items[0]!, { columns: [] });
    expect(byScalars.outText()).toContain('ribbon');
    expect(byScalars.outText()).not.toContain('collectionIds');
    expect(byScalars.outText()).not.toContain('price');
    expect(byScalars.outText()).not.toContain('\u001b[');
  });
});

describe('backpressure and a reader that goes away', () => {
  it('waits for drain when the stream asks, so memory stays flat', async () => {
    const out = new SlowStream();
    const io = fakeIO({ out });
    const writer = createListWriter(io, 'ndjson', { columns, noun: 'products' });
    let done = false;
    const pending = writer.write({ _id: 'x'.repeat(100) }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    out.release();
    await pending;
    expect(done).toBe(true);
    out.release();
    expect(out.chunks).toHaveLength(1);
  });

  it('rejects with OutputClosedError, never EPIPE, when writes fail with EPIPE', async () => {
    const io = fakeIO({ out: new BrokenPipeStream() });
    const writer = createListWriter(io, 'json', { columns, noun: 'products' });
    let failure: unknown;
    try {
      for (let i = 0; i < 10; i++) {
        await writer.write(items[0]!);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(OutputClosedError);
    await expect(writer.close()).rejects.toBeInstanceOf(OutputClosedError);
  });

  it('turns an EPIPE error event on stdout into OutputClosedError instead of an uncaught exception', async () => {
    const out = new RecordingStream();
    const io = fakeIO({ out });
    const writer = createListWriter(io, 'csv', { columns, noun: 'products' });
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(writer.write(items[0]!)).rejects.toBeInstanceOf(OutputClosedError);
  });

  it('rejects a write after the stream was destroyed', async () => {
    const out = new RecordingStream();
    const io = fakeIO({ out });
    out.destroy();
    await expect(writeItem(io, 'json', items[0]!, { columns })).rejects.toBeInstanceOf(OutputClosedError);
  });

  it('rejects with OutputClosedError when the reader leaves while the writer waits for drain', async () => {
    const out = new SlowStream();
    const io = fakeIO({ out });
    const writer = createListWriter(io, 'ndjson', { columns, noun: 'products' });
    const pending = writer.write({ _id: 'x'.repeat(100) });
    await new Promise((resolve) => setImmediate(resolve));
    out.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(pending).rejects.toBeInstanceOf(OutputClosedError);
  });

  it('stops with OutputClosedError when a real pipe reader exits early, like `wixq … | head -1`', async () => {
    const reader = spawn(process.execPath, ['-e', "process.stdin.once('data', () => process.exit(0))"], { stdio: ['pipe', 'ignore', 'ignore'] });
    const io = fakeIO({ out: reader.stdin });
    const writer = createListWriter(io, 'ndjson', { columns, noun: 'products' });
    await writer.write(items[0]!);
    await once(reader, 'exit');
    let failure: unknown;
    for (let i = 0; i < 1000 && failure === undefined; i++) {
      await writer.write(items[1]!).catch((error: unknown) => (failure = error));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(failure).toBeInstanceOf(OutputClosedError);
  });

  it('reports any other stream failure as itself', async () => {
    const out = new RecordingStream();
    const io = fakeIO({ out });
    const writer = createListWriter(io, 'ndjson', { columns, noun: 'products' });
    out.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    await expect(writer.write(items[0]!)).rejects.toThrow('disk full');
  });
});
