import { Chalk } from 'chalk';
import Table from 'cli-table3';

/** Cell text alignment in a table column. */
export type Align = 'left' | 'right';

export interface TableOptions {
  /** Terminal width the whole table must fit in. */
  width: number;
  /** Colour the headers; when false the output carries no ANSI codes at all. */
  color: boolean;
  /** Rows drawn per cli-table3 call (default 50); the joined result is the same table. */
  rowsPerChunk?: number;
}

/** Column widths (cell text only, no padding) for a table fitted to a width, and how many trailing columns did not fit. */
export interface FittedWidths {
  widths: number[];
  dropped: number;
}

/** The narrowest a shrunk column gets: room for two characters and the ellipsis. */
const MIN_COLUMN_WIDTH = 3;
const ROWS_PER_CHUNK = 50;

/** A rendered table, and how many trailing columns were left out because even narrowed they did not fit. */
export interface RenderedTable {
  text: string;
  droppedColumns: number;
}

/**
 * Renders a table with a header row, every line no wider than `options.width`. Text is cut with "…" when needed, but
 * never an ID or a number (`wholeTokenWidth`): the columns that hold them keep room for their widest one while the
 * other columns give way, and a cell of theirs that is still too wide wraps onto more lines instead of being cut.
 */
export function renderTable(headers: string[], rows: string[][], align: Align[], options: TableOptions): RenderedTable {
  const cleanHeaders = headers.map(sanitizeCell);
  const cleanRows = rows.map((row) => row.map(sanitizeCell));
  const natural = cleanHeaders.map((header, i) => widestOf([header, ...cleanRows.map((row) => row[i] ?? '')]));
  const whole = cleanHeaders.map((_, i) => cleanRows.reduce((widest, row) => Math.max(widest, wholeTokenWidth(row[i] ?? '')), 0));
  const { widths, dropped } = fitColumnWidths(natural, options.width, whole);
  const kept = widths.length;
  const bodyRows = cleanRows.map((row) => row.map((cell, i) => (i < kept && whole[i]! > 0 ? wrapCell(cell, widths[i]!) : cell)));
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const head = cleanHeaders.slice(0, kept).map((header) => paint.bold.cyan(header));
  const draw = (chunk: string[][], withHead: boolean): string[] => {
    const table = new Table({
      ...(withHead ? { head } : {}),
      colWidths: widths.map((w) => w + 2),
      colAligns: align.slice(0, kept),
      truncate: '…',
      wordWrap: false,
      // cli-table3 colours heads and borders itself unless told not to; colour must come only from `paint`.
      style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    });
    for (const row of chunk) table.push(row.slice(0, kept));
    return table.toString().split('\n');
  };
  // cli-table3's layout grows faster than linearly with rows; drawing slices and joining them keeps 20k rows quick.
  const rowsPerChunk = options.rowsPerChunk ?? ROWS_PER_CHUNK;
  const lines: string[] = [];
  for (let start = 0; start === 0 || start < bodyRows.length; start += rowsPerChunk) {
    const chunkLines = draw(bodyRows.slice(start, start + rowsPerChunk), start === 0);
    if (start > 0) chunkLines.shift(); // its top border continues the previous slice
    if (start + rowsPerChunk < bodyRows.length) chunkLines.pop(); // the next slice continues below
    lines.push(...chunkLines);
  }
  return { text: lines.join('\n'), droppedColumns: dropped };
}

/**
 * Renders a two-column key/value table (keys bold when colour is on), fitted to `options.width`; a value that holds an
 * ID or a number wraps rather than being cut (as in `renderTable`).
 */
export function renderKeyValueTable(entries: Array<[string, string]>, options: TableOptions): string {
  const cleaned = entries.map(([key, value]) => [sanitizeCell(key), sanitizeCell(value)] as const);
  const natural = [widestOf(cleaned.map(([key]) => key)), widestOf(cleaned.map(([, value]) => value))];
  // The value column takes what the keys leave; a value with an ID or a number in it wraps there (split only when an
  // ID is wider than the whole line).
  const { widths } = fitColumnWidths(natural, options.width);
  const clean = cleaned.map(([key, value]) => [key, widths.length > 1 && wholeTokenWidth(value) > 0 ? wrapCell(value, widths[1]!) : value] as const);
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const table = new Table({
    colWidths: widths.map((w) => w + 2),
    truncate: '…',
    wordWrap: false,
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
  });
  for (const [key, value] of clean) table.push(widths.length > 1 ? [paint.bold(key), value] : [paint.bold(key)]);
  return table.toString();
}

/**
 * Fits natural cell widths into a terminal width (each column costs 2 padding and 1 border, plus 1 border at the end):
 * the widest columns shrink first, down to a few characters, or down to `whole[i]` (the widest ID or number the
 * column holds, which must not be cut); columns that still do not fit are dropped from the right. A single column
 * left gets whatever room there is (its cells then wrap).
 */
export function fitColumnWidths(natural: number[], available: number, whole: number[] = []): FittedWidths {
  for (let count = natural.length; count > 0; count--) {
    const columns = natural.slice(0, count).map((w) => Math.max(1, w));
    const budget = available - (3 * count + 1);
    const floors = columns.map((w, i) => Math.min(w, Math.max(MIN_COLUMN_WIDTH, whole[i] ?? 0)));
    const floorTotal = floors.reduce((a, b) => a + b, 0);
    if (floorTotal > budget) {
      if (count > 1) continue;
      return { widths: [Math.max(1, budget)], dropped: natural.length - 1 };
    }
    return { widths: capToBudget(columns, floors, budget), dropped: natural.length - count };
  }
  return { widths: [], dropped: 0 };
}

/** Lowers a common cap on the widest columns until the sum fits, then hands the leftover back left to right. */
function capToBudget(columns: number[], floors: number[], budget: number): number[] {
  const total = (cap: number): number => columns.reduce((sum, w, i) => sum + Math.max(Math.min(w, cap), floors[i]!), 0);
  const widest = Math.max(...columns);
  if (total(widest) <= budget) return columns;
  let low = 0;
  let high = widest;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (total(mid) <= budget) low = mid;
    else high = mid - 1;
  }
  const widths = columns.map((w, i) => Math.max(Math.min(w, low), floors[i]!));
  let leftover = budget - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < widths.length && leftover > 0; i++) {
    if (widths[i]! < columns[i]!) {
      widths[i]!++;
      leftover--;
    }
  }
  return widths;
}

/** An ID (a word of letters, digits, `_` and `-` with a digit in it, 6 or more long) or a number (digits and their separators, with up to 3 signs or letters either side: `$71.39`, `-12%`, `2024-02-01`). */
const WHOLE_TOKEN = /^(?:(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{6,}|[^\s\d]{0,3}\d[\d.,:'-]*[^\s\d]{0,3})$/u;

/**
 * The display width of the widest word in a cell that must never be cut, an ID or a number (`WHOLE_TOKEN`, with any
 * brackets and commas around it left aside), or 0 when the cell holds none.
 */
export function wholeTokenWidth(cell: string): number {
  let widest = 0;
  for (const word of cell.split(' ')) {
    const core = word.replace(/^[([{"']+|[)\]}"',;:.]+$/g, '');
    if (core !== '' && WHOLE_TOKEN.test(core)) widest = Math.max(widest, displayWidth(word));
  }
  return widest;
}

/**
 * A cell's text on lines of at most `width` columns, broken between words; a word wider than the line (only when a
 * column has less room than its widest ID, as the last one left can) is split across lines, never cut.
 */
export function wrapCell(cell: string, width: number): string {
  if (displayWidth(cell) <= width) return cell;
  const lines: string[] = [];
  let line = '';
  const push = (): void => {
    if (line !== '') lines.push(line);
    line = '';
  };
  for (const word of cell.split(' ')) {
    if (word === '') continue;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    push();
    let rest = word;
    while (displayWidth(rest) > width) {
      let piece = '';
      for (const c of rest) {
        if (displayWidth(piece + c) > width && piece !== '') break;
        piece += c;
      }
      lines.push(piece);
      rest = rest.slice(piece.length);
    }
    line = rest;
  }
  push();
  return lines.join('\n');
}

function widestOf(texts: string[]): number {
  let widest = 0;
  for (const text of texts) widest = Math.max(widest, displayWidth(text));
  return widest;
}

/** Cell text safe for one terminal line: newlines and tabs become spaces, other control characters (ESC included) become "�". */
export function sanitizeCell(text: string): string {
  return text.replace(/\r\n|[\n\r\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** Approximate terminal width of text: wide East Asian characters and emoji count 2, combining marks 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (/\p{Mark}|\u200b|\u200d|\ufe0f/u.test(c)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
