import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumnWidths, renderKeyValueTable, renderTable, sanitizeCell, wholeTokenWidth, wrapCell } from '../../src/output/table.js';

const ANSI = /\u001b\[[0-9;]*m/g;

function lineWidths(text: string): number[] {
  return text.split('\n').map((line) => displayWidth(line.replace(ANSI, '')));
}

describe('fitColumnWidths', () => {
  it('keeps natural widths when they fit', () => {
    // 3 columns cost 3*3+1 = 10 characters of borders and padding
    expect(fitColumnWidths([5, 10, 3], 28)).toEqual({ widths: [5, 10, 3], dropped: 0 });
  });

  it('shrinks the widest columns first', () => {
    expect(fitColumnWidths([5, 40, 30], 50)).toEqual({ widths: [5, 18, 17], dropped: 0 });
    expect(fitColumnWidths([5, 40, 8], 40)).toEqual({ widths: [5, 17, 8], dropped: 0 });
  });

  it('never shrinks a column below three characters, and drops trailing columns that still do not fit', () => {
    expect(fitColumnWidths([10, 10, 10, 10], 20)).toEqual({ widths: [4, 3, 3], dropped: 1 });
    expect(fitColumnWidths([10, 10, 10, 10], 18)).toEqual({ widths: [6, 5], dropped: 2 });
    expect(fitColumnWidths([2, 10], 12)).toEqual({ widths: [2, 3], dropped: 0 });
    expect(fitColumnWidths([2, 10], 11)).toEqual({ widths: [2], dropped: 1 });
  });

  it('gives a single column whatever room there is', () => {
    expect(fitColumnWidths([50], 10)).toEqual({ widths: [6], dropped: 0 });
    expect(fitColumnWidths([50, 50], 6)).toEqual({ widths: [2], dropped: 1 });
  });

  it('always fits when it can, and uses the room it has', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 10, max: 250 }), (natural, width) => {
        const { widths, dropped } = fitColumnWidths(natural, width);
        expect(widths.length + dropped).toBe(natural.length);
        const total = widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1;
        expect(total).toBeLessThanOrEqual(width);
        widths.forEach((w, i) => expect(w).toBeLessThanOrEqual(Math.max(1, natural[i]!)));
        const naturalTotal = natural.slice(0, widths.length).reduce((a, b) => a + Math.max(1, b), 0) + 3 * widths.length + 1;
        if (dropped === 0) expect(total).toBe(Math.min(naturalTotal, width));
      }),
      { numRuns: 500 },
    );
  });
});

describe('sanitizeCell and displayWidth', () => {
  it('keeps a cell on one line and strips terminal escapes', () => {
    expect(sanitizeCell('a\nb\r\nc\td')).toBe('a b c d');
    expect(sanitizeCell('\u001b[31mred\u001b[0m')).toBe('\uFFFD[31mred\uFFFD[0m');
  });

  it('counts wide characters twice and combining marks not at all', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('renderTable', () => {
  const headers = ['_id', 'name', 'price.price'];
  const rows = [
    ['p1', 'Red shirt with a long, long name that does not fit in forty columns', '10'],
    ['p2', 'Mug', '7.5'],
  ];

  it('draws the natural table when it fits, numbers right-aligned', () => {
    const { text, droppedColumns } = renderTable(headers, rows, ['left', 'left', 'right'], { width: 120, color: false });
    expect(droppedColumns).toBe(0);
    expect(text).toContain('│ Red shirt with a long, long name that does not fit in forty columns │');
    expect(text).toContain('│          10 │');
    expect(text).toContain('│         7.5 │');
    expect(text).not.toContain('…');
    expect(text.split('\n')).toHaveLength(6); // top, header, separator, 2 rows, bottom: no lines between rows
    for (const width of lineWidths(text)) expect(width).toBeLessThanOrEqual(120);
  });

  it('fits 40 columns by truncating the widest column with an ellipsis', () => {
    const { text } = renderTable(headers, rows, ['left', 'left', 'right'], { width: 40, color: false });
    expect(text).toContain('Red shirt');
    expect(text).toContain('…');
    expect(text).toContain('price.price');
    for (const width of lineWidths(text)) expect(width).toBeLessThanOrEqual(40);
    expect(Math.max(...lineWidths(text))).toBe(40);
  });

  it('colours headers only when colour is on', () => {
    const plain = renderTable(headers, rows, ['left', 'left', 'right'], { width: 40, color: false }).text;
    const coloured = renderTable(headers, rows, ['left', 'left', 'right'], { width: 40, color: true }).text;
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('never lets data carry escapes or newlines into the terminal', () => {
    const { text } = renderTable(['a'], [['\u001b[2Jboom\nsecond line']], ['left'], { width: 80, color: false });
    expect(text).not.toContain('\u001b');
    expect(text.split('\n')).toHaveLength(5);
  });

  it('draws long tables in slices that join into the same table', () => {
    const many = Array.from({ length: 7 }, (_, i) => [`p${i}`, `name ${'x'.repeat(i * 3)}`, String(i * 1.5)]);
    const whole = renderTable(headers, many, ['left', 'left', 'right'], { width: 30, color: true, rowsPerChunk: 1000 }).text;
    for (const rowsPerChunk of [1, 2, 3, 6, 7]) {
      expect(renderTable(headers, many, ['left', 'left', 'right'], { width: 30, color: true, rowsPerChunk }).text).toBe(whole);
    }
    expect(whole.split('\n')).toHaveLength(7 + 4);
  });

  it('keeps every line within the width for any content', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '9', ',', '日', 'é', '\n', '\t'), maxLength: 60 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(fc.array(cell, { minLength: n, maxLength: n }), fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 5 })),
        ),
        fc.integer({ min: 20, max: 160 }),
        fc.boolean(),
        ([head, body], width, color) => {
          const { text } = renderTable(head, body, head.map(() => 'left'), { width, color });
          for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(width);
          // One line per row, unless a cell that holds an ID or a number wraps (it is never cut).
          const wraps = body.some((row) => row.some((cell) => wholeTokenWidth(sanitizeCell(cell)) > 0));
          if (!wraps) expect(text.split('\n')).toHaveLength(body.length === 0 ? 3 : body.length + 4);
          else expect(text.split('\n').length).toBeGreaterThanOrEqual(body.length + 4);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('renderKeyValueTable', () => {
  it('draws keys and values, fitted', () => {
    const text = renderKeyValueTable(
      [
        ['_id', 'p1'],
        ['description', 'x'.repeat(200)],
      ],
      { width: 40, color: false },
    );
    expect(text).toContain('│ _id         │ p1');
    expect(text).toContain('│ description │ xxx');
    expect(text).toContain('…');
    for (const width of lineWidths(text)) expect(width).toBeLessThanOrEqual(40);
    expect(text).not.toContain('\u001b[');
  });

  it('makes keys bold with colour on', () => {
    expect(renderKeyValueTable([['a', 'b']], { width: 40, color: true })).toContain('\u001b[1ma');
  });
});

describe('IDs and numbers are never cut', () => {
  const id = '67e62ab0-9f39-40b0-a88f-7b9cf4f0e1a2';
  const headers = ['ID', 'Name', 'Price after discount'];
  const rows = [
    [id, 'Premium cotton shirt in a long, long name', '$127.50'],
    ['0d2c81f4-1b7e-4a55-8a13-5e0b7c9d2f64', 'Mug', '$71.39 (was $101.99)'],
  ];

  it('at 40 columns the name gives way and the prices stay whole', () => {
    const products = [
      ['Premium cotton shirt in a long, long name', '$127.50', '12'],
      ['Mug', '$71.39 (was $101.99)', '1,250'],
    ];
    const { text, droppedColumns } = renderTable(['Name', 'Price after discount', 'Stock'], products, ['left', 'right', 'right'], { width: 40, color: false });
    expect(droppedColumns).toBe(0);
    for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(40);
    expect(text).toContain('Premium');
    for (const part of ['$127.50', '$71.39', '$101.99)', '1,250']) expect(text).toContain(part);
    expect(text).not.toMatch(/\d…/);
  });

  it('at 40 columns an ID is shown whole (the columns after it that cannot fit are left out, and said so)', () => {
    const { text, droppedColumns } = renderTable(headers, rows, ['left', 'left', 'right'], { width: 40, color: false });
    for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(40);
    expect(droppedColumns).toBeGreaterThan(0);
    expect(text).toContain(id);
    expect(text).toContain('0d2c81f4-1b7e-4a55-8a13-5e0b7c9d2f64');
    expect(text).not.toMatch(/[0-9a-f]…/);
  });

  it('at 80 columns every column is there, the ID whole, the prices whole, the name cut', () => {
    const { text, droppedColumns } = renderTable(headers, rows, ['left', 'left', 'right'], { width: 80, color: false });
    expect(droppedColumns).toBe(0);
    expect(text).toContain(id);
    expect(text).toContain('$127.50');
    for (const part of ['$71.39', '$101.99)']) expect(text).toContain(part);
    for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(80);
  });

  it('a single column narrower than its ID wraps it across lines, all of its characters there', () => {
    const { text } = renderTable(['ID'], [[id]], ['left'], { width: 20, color: false });
    for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(20);
    const cells = text.split('\n').slice(3, -1).map((l) => l.replace(/^│ | *│$/g, '').trim());
    expect(cells.join('')).toBe(id);
  });

  it('the key/value table wraps a long ID value rather than cutting it', () => {
    const text = renderKeyValueTable([['_id', id], ['name', 'Mug']], { width: 30, color: false });
    for (const w of lineWidths(text)) expect(w).toBeLessThanOrEqual(30);
    expect(text).not.toContain('…');
    expect(text.replace(/[│ ]+\n[│ ]+/g, '').replace(/\s/g, '')).toContain(id);
  });

  it('wholeTokenWidth knows IDs and numbers, and nothing else', () => {
    expect(wholeTokenWidth(id)).toBe(id.length);
    expect(wholeTokenWidth('$71.39 (was $101.99)')).toBe('$101.99)'.length);
    expect(wholeTokenWidth('2024-02-01')).toBe(10);
    expect(wholeTokenWidth('Premium cotton shirt')).toBe(0);
    expect(wholeTokenWidth('https://static.wixstatic.com/media/a1b2c3.jpg')).toBe(0);
  });

  it('wrapCell keeps every character and every line within the width', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '9', '-', ' ', 'é'), maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (cell, width) => {
        const wrapped = wrapCell(cell, width);
        for (const line of wrapped.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        expect(wrapped.replace(/[\n ]/g, '')).toBe(cell.replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });

  it('fitting keeps a column at least as wide as its widest ID or number unless it is the only one left', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 10, max: 250 }),
        (columns, width) => {
          const natural = columns.map(([n]) => n);
          const whole = columns.map(([n, w]) => Math.min(n, w));
          const { widths, dropped } = fitColumnWidths(natural, width, whole);
          expect(widths.length + dropped).toBe(natural.length);
          expect(widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1).toBeLessThanOrEqual(Math.max(width, 3 * widths.length + 1 + widths.length));
          if (widths.length > 1) widths.forEach((w, i) => expect(w).toBeGreaterThanOrEqual(Math.min(Math.max(1, natural[i]!), whole[i]!)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
