import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumnWidths, renderKeyValueTable, renderTable, sanitizeCell } from '../../src/output/table.js';

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
          expect(text.split('\n')).toHaveLength(body.length === 0 ? 3 : body.length + 4);
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
