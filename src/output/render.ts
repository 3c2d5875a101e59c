import type { OutputFormat } from './formats.js';
import { formatCell, getPath, projectFields } from './fields.js';
import { guardOutput, writeOutput, type IO } from './io.js';
import type { Align } from './table.js';

// Tables (cli-table3, chalk, string-width) are imported only when a table is drawn: JSON, CSV and NDJSON runs skip them.
const loadTable = (): Promise<typeof import('./table.js')> => import('./table.js');

export type { OutputFormat };

/** A column of a resource's default table; CSV/TSV use only its path (raw values), tables also its header and format. */
export interface ColumnSpec {
  header: string;
  path: string;
  /** Plain-text cell for tables (no ANSI codes: the table decides colour). */
  format?: (value: unknown, item: Record<string, unknown>) => string;
  /** Defaults to right for columns whose values are all numbers, else left. */
  align?: 'left' | 'right';
  /**
   * The cell is text made from several fields (a price with its discount): CSV and TSV carry that same text, under
   * `header` (no one path holds it), and `--fields <path>` shows the path's own value, not this text.
   */
  derived?: boolean;
}

/** Streams a list to stdout in one format; `close` finishes it (the closing `]`, the table) and reports the count. */
export interface ListWriter {
  write(item: Record<string, unknown>): Promise<void>;
  close(): Promise<{ count: number }>;
}

export interface ListWriterOptions {
  columns: ColumnSpec[];
  fields?: string[];
  /** Plural noun for notices, e.g. 'products'. */
  noun: string;
}

export interface ItemOptions {
  columns: ColumnSpec[];
  fields?: string[];
}

/** A writer that streams items to `io.out` in the format; tables are collected and drawn on close. */
export function createListWriter(io: IO, format: OutputFormat, opts: ListWriterOptions): ListWriter {
  guardOutput(io.out);
  switch (format) {
    case 'json':
      return jsonListWriter(io, opts.fields);
    case 'ndjson':
      return streamingWriter(io, (item) => JSON.stringify(project(item, opts.fields)) + '\n');
    case 'csv':
    case 'tsv':
      return delimitedListWriter(io, format, opts);
    case 'table':
      return tableListWriter(io, opts);
  }
}

/** Writes one item (`get`): a pretty JSON object, one NDJSON line, a header and one CSV/TSV row, or a key/value table. */
export async function writeItem(io: IO, format: OutputFormat, item: Record<string, unknown>, opts: ItemOptions): Promise<void> {
  guardOutput(io.out);
  switch (format) {
    case 'json':
      return writeOutput(io.out, JSON.stringify(project(item, opts.fields), null, 2) + '\n');
    case 'ndjson':
      return writeOutput(io.out, JSON.stringify(project(item, opts.fields)) + '\n');
    case 'csv':
    case 'tsv': {
      const columns = effectiveColumns(opts, item);
      return writeOutput(io.out, delimitedRow(format, columns.map(delimitedHeader)) + delimitedRow(format, rawCells(columns, item)));
    }
    case 'table': {
      const explicit = opts.fields !== undefined || opts.columns.length > 0;
      const entries: Array<[string, string]> = explicit
        ? effectiveColumns(opts, item).map((column) => [column.header, tableCell(column, item)])
        : Object.entries(item)
            .filter(([, value]) => isScalar(value))
            .map(([key, value]) => [key, formatCell(value)]);
      if (entries.length === 0) return;
      const { renderKeyValueTable } = await loadTable();
      return writeOutput(io.out, renderKeyValueTable(entries, { width: terminalWidth(io), color: io.color }) + '\n');
    }
  }
}

function project(item: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  return fields ? projectFields(item, fields) : item;
}

/** `--fields` paths as columns (keeping a matching column's format), else the resource's columns, else the item's scalars. */
function effectiveColumns(opts: ItemOptions, sample?: Record<string, unknown>): ColumnSpec[] {
  if (opts.fields) {
    return opts.fields.map((path) => {
      const known = opts.columns.find((column) => column.path === path && !column.derived);
      return { ...known, header: path, path };
    });
  }
  if (opts.columns.length > 0 || !sample) return opts.columns;
  return Object.keys(sample)
    .filter((key) => isScalar(sample[key]))
    .map((key) => ({ header: key, path: key }));
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** CSV/TSV cells: each path's raw value, or a derived column's text (the table's). */
function rawCells(columns: ColumnSpec[], item: Record<string, unknown>): string[] {
  return columns.map((column) => (column.derived ? tableCell(column, item) : formatCell(getPath(item, column.path))));
}

/** A CSV/TSV header cell: the path, or a derived column's header (its text is no one path's value). */
function delimitedHeader(column: ColumnSpec): string {
  return column.derived ? column.header : column.path;
}

function tableCell(column: ColumnSpec, item: Record<string, unknown>): string {
  const value = getPath(item, column.path);
  return column.format ? column.format(value, item) : formatCell(value);
}

/** The width tables are fitted to: the terminal's columns, else 80. */
export function terminalWidth(io: IO): number {
  return Number.isFinite(io.columns) && io.columns > 0 ? Math.floor(io.columns) : 80;
}

/** A writer whose every item becomes one chunk, written as it arrives. */
function streamingWriter(io: IO, toChunk: (item: Record<string, unknown>) => string): ListWriter {
  let count = 0;
  return {
    async write(item) {
      await writeOutput(io.out, toChunk(item));
      count++;
    },
    async close() {
      return { count };
    },
  };
}

/** One JSON array, streamed: the same text as JSON.stringify(items, null, 2) plus a newline. */
function jsonListWriter(io: IO, fields: string[] | undefined): ListWriter {
  let count = 0;
  return {
    async write(item) {
      const body = '  ' + JSON.stringify(project(item, fields), null, 2).replace(/\n/g, '\n  ');
      await writeOutput(io.out, (count === 0 ? '[\n' : ',\n') + body);
      count++;
    },
    async close() {
      await writeOutput(io.out, count === 0 ? '[]\n' : '\n]\n');
      return { count };
    },
  };
}

/** CSV or TSV: the header row goes out with the first item (or on close for an empty list), then a row per item. */
function delimitedListWriter(io: IO, format: 'csv' | 'tsv', opts: ListWriterOptions): ListWriter {
  let columns: ColumnSpec[] | undefined;
  let count = 0;
  const header = (sample?: Record<string, unknown>): string => {
    columns = effectiveColumns(opts, sample);
    return columns.length > 0 ? delimitedRow(format, columns.map(delimitedHeader)) : '';
  };
  return {
    async write(item) {
      const head = columns === undefined ? header(item) : '';
      await writeOutput(io.out, head + delimitedRow(format, rawCells(columns!, item)));
      count++;
    },
    async close() {
      if (columns === undefined) {
        const head = header();
        if (head !== '') await writeOutput(io.out, head);
      }
      return { count };
    },
  };
}

/** A table needs every row to size its columns, so rows are collected (as cell text only) and drawn on close. */
function tableListWriter(io: IO, opts: ListWriterOptions): ListWriter {
  let columns: ColumnSpec[] | undefined;
  const rows: string[][] = [];
  let numeric: boolean[] = [];
  let seen: boolean[] = [];
  return {
    async write(item) {
      if (columns === undefined) {
        columns = effectiveColumns(opts, item);
        numeric = columns.map(() => true);
        seen = columns.map(() => false);
      }
      rows.push(
        columns.map((column, i) => {
          const value = getPath(item, column.path);
          if (value !== undefined && value !== null) {
            seen[i] = true;
            if (typeof value !== 'number') numeric[i] = false;
          }
          return column.format ? column.format(value, item) : formatCell(value);
        }),
      );
    },
    async close() {
      if (rows.length === 0 || !columns || columns.length === 0) {
        if (rows.length === 0) io.err.write(`No ${opts.noun} found.\n`);
        return { count: rows.length };
      }
      const align: Align[] = columns.map((column, i) => column.align ?? (seen[i] && numeric[i] ? 'right' : 'left'));
      const { renderTable } = await loadTable();
      const table = renderTable(
        columns.map((c) => c.header),
        rows,
        align,
        { width: terminalWidth(io), color: io.color },
      );
      await writeOutput(io.out, table.text + '\n');
      if (table.droppedColumns > 0) {
        const n = table.droppedColumns;
        io.err.write(`${n} column${n === 1 ? '' : 's'} did not fit the terminal; pick fewer with --fields, or use -o csv or -o json.\n`);
      }
      return { count: rows.length };
    },
  };
}

/** One CSV (RFC 4180 quoting) or TSV (\t \n \r \\ escaped) line, ending in a newline. */
export function delimitedRow(format: 'csv' | 'tsv', cells: string[]): string {
  if (format === 'tsv') return cells.map(escapeTsv).join('\t') + '\n';
  return cells.map(quoteCsv).join(',') + '\n';
}

function quoteCsv(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function escapeTsv(cell: string): string {
  return cell.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}
