import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERY_SPECS, SPEC_OVERRIDES, sdkFieldPath, type FieldRule, type SpecName, type ValueType } from '../../src/specs/query-specs.js';
import type { QueryRules } from '../../src/wix/query-plan.js';
import { collectionsV1, productsV1, productsV3, services } from '../../src/wix/resources.js';

/**
 * docs/reference.md's "Filtering and sorting: the fields" tables (section 4.7) are generated from the spec table (QUERY_SPECS, with its
 * overrides) and the catalog-neutral vocabulary of the resources, never copied by hand. This test fails when the doc
 * differs from what they say; `UPDATE_FIELDS=1 npx vitest run test/project/field-tables.test.ts` rewrites the block.
 */

const FIELDS_DOC = resolve(__dirname, '../../docs/reference.md');
const BEGIN = '<!-- fields:begin -->';
const END = '<!-- fields:end -->';

/** Each list, the endpoint that serves it and the spec Wix checks its queries against. */
const LISTS: Array<{ title: string; path: string; spec: SpecName }> = [
  ...productsV1.rules.targets.map((t) => ({ title: 'Products, Catalog V1', path: t.path, spec: t.spec })),
  ...productsV3.rules.targets.map((t) => ({ title: `Products, Catalog V3 ${t.endpoint}`, path: t.path, spec: t.spec })),
  ...collectionsV1.rules.targets.map((t) => ({ title: 'Collections (Catalog V1)', path: t.path, spec: t.spec })),
  // The categories commands' endpoint: Wix's Categories API, read by query.
  { title: 'Categories (Catalog V3)', path: '/categories/v1/categories/query', spec: 'categoriesQuery' },
  ...services.rules.targets.map((t) => ({ title: 'Bookings services', path: t.path, spec: t.spec })),
];

/** Wix operators in the order and the syntax of `--filter` (src/wix/filter.ts); besides `$exists`, the rest only go through `--query`. */
const FILTER_SYNTAX: ReadonlyArray<[string, string]> = [
  ['$eq', '='],
  ['$ne', '!='],
  ['$gt', '>'],
  ['$gte', '>='],
  ['$lt', '<'],
  ['$lte', '<='],
  ['$startsWith', '^='],
  ['$in', 'in'],
  ['$nin', 'notin'],
  ['$hasSome', 'has'],
  ['$hasAll', 'hasall'],
];

const SORT_TEXT: Record<FieldRule['sort'], string> = { BOTH: 'asc, desc', ASC: 'asc', DESC: 'desc', NONE: '—' };

function operatorsText(operators: readonly string[]): string {
  const flags = FILTER_SYNTAX.filter(([wix]) => operators.includes(wix)).map(([, flag]) => flag);
  // `field` / `!field` in --filter.
  const exists = operators.includes('$exists') ? 'exists' : '';
  const queryOnly = operators.filter((op) => op !== '$exists' && !FILTER_SYNTAX.some(([wix]) => wix === op));
  const parts = [flags.length ? `\`${flags.join(' ')}\`` : '', exists, queryOnly.length ? `${queryOnly.map((op) => `\`${op}\``).join(' ')} (--query)` : ''];
  return parts.filter(Boolean).join(' · ') || '—';
}

/** What a field takes (its value type, from the typings and the overrides), in a few words. */
function typeText(type: ValueType | undefined): string {
  if (type === undefined) return '—';
  if (typeof type === 'object' && 'enum' in type) return type.enum.map((v) => `\`${v}\``).join(' ');
  if (typeof type === 'object') return `list of ${typeText(type.arrayOf)}`;
  return { string: 'text', number: 'number', boolean: 'true, false', date: 'date', 'decimal-string': 'decimal', object: 'object' }[type];
}

/** `_id` next to `id`: underscores do not decide the order. */
const byName = (a: string, b: string) => a.replace(/^_/, '').localeCompare(b.replace(/^_/, ''));

const SUPERSCRIPTS = ['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

function specTable(list: (typeof LISTS)[number]): string {
  const spec = QUERY_SPECS[list.spec];
  const overrides = SPEC_OVERRIDES.filter((o) => o.spec === list.spec);
  // One note per distinct reason (the V3 sort override covers four fields), numbered in the order they come.
  const notes = [...new Map(overrides.map((o) => [o.why, o])).values()];
  const mark = (field: string) => {
    const marks = notes.filter((n) => overrides.some((o) => o.field === field && o.why === n.why)).map((n) => SUPERSCRIPTS[notes.indexOf(n)]);
    return marks.length ? ` ${marks.join('')}` : '';
  };
  const rows = Object.entries(spec.fields)
    .filter(([, rule]) => rule.operators.length > 0 || rule.sort !== 'NONE')
    .sort(([a], [b]) => byName(a, b))
    .map(([field, rule]) => `| \`${field}\`${mark(field)} | ${typeText(rule.type)} | ${operatorsText(rule.operators)} | ${SORT_TEXT[rule.sort]} |`);
  const lines = [`#### ${list.title}: \`${list.path}\``, '', `From \`${spec.sdkType}\` (\`${spec.sdkPackage}\`).`, '', '| field | takes | --filter | --sort |', '|---|---|---|---|', ...rows];
  if (spec.searchable?.length) lines.push('', `\`--search\` looks in: ${spec.searchable.map((f) => `\`${f}\``).join(', ')}.`);
  if (notes.length) lines.push('', ...notes.map((o, i) => `${SUPERSCRIPTS[i]} Wix differs from the SDK typings: ${o.why} (${o.source}).`));
  return lines.join('\n');
}

/** Whether a spec lets a query filter (any operator) or sort on a field given in the wire's names. */
function declares(spec: SpecName, wireField: string, what: 'filter' | 'sort'): boolean {
  const rule = QUERY_SPECS[spec].fields[sdkFieldPath(wireField)];
  return what === 'filter' ? Boolean(rule?.operators.length) : rule !== undefined && rule.sort !== 'NONE';
}

/** Where a neutral name goes on one catalog: the field (SDK name) and, with two endpoints, which one serves it. */
function neutralCell(rules: QueryRules, field: string | undefined, what: 'filter' | 'sort'): string {
  if (field === undefined) return '—';
  const target = rules.targets.find((t) => declares(t.spec, field, what));
  const via = rules.targets.length > 1 && target ? ` (${target.endpoint})` : '';
  return `\`${sdkFieldPath(field)}\`${via}`;
}

function neutralTable(): string {
  const catalogs = [productsV1.rules, productsV3.rules];
  const names = [...new Set(catalogs.flatMap((rules) => Object.keys(rules.vocabulary ?? {})))];
  const rows = names.map((name) => {
    const cells = catalogs.flatMap((rules) => {
      const entry = rules.vocabulary?.[name] ?? {};
      return [neutralCell(rules, entry.filter, 'filter'), neutralCell(rules, entry.sort, 'sort')];
    });
    return `| \`${name}\` | ${cells.join(' | ')} |`;
  });
  return [
    '#### Catalog-neutral names (`products list`)',
    '',
    '| name | Catalog V1 --filter | Catalog V1 --sort | Catalog V3 --filter | Catalog V3 --sort |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The block between the markers, as the spec table and the vocabulary say it should read. */
function fieldsBlock(): string {
  return [
    BEGIN,
    '<!-- Generated from src/specs/query-specs.ts and the vocabulary in src/wix/resources.ts: do not edit by hand.',
    '     Update: UPDATE_FIELDS=1 npx vitest run test/project/field-tables.test.ts -->',
    '',
    neutralTable(),
    '',
    ...LISTS.flatMap((list) => [specTable(list), '']),
    END,
  ].join('\n');
}

describe("docs/reference.md's field tables", () => {
  it('are what the spec table and the neutral vocabulary say', () => {
    const doc = readFileSync(FIELDS_DOC, 'utf8');
    const begin = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(begin, `docs/reference.md has no ${BEGIN} … ${END} block`).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    const current = doc.slice(begin, end + END.length);
    const expected = fieldsBlock();
    if (process.env.UPDATE_FIELDS === '1' && current !== expected) {
      writeFileSync(FIELDS_DOC, doc.slice(0, begin) + expected + doc.slice(end + END.length));
      return;
    }
    expect(current, 'the field tables of docs/reference.md are stale: run UPDATE_FIELDS=1 npx vitest run test/project/field-tables.test.ts').toBe(expected);
  });

  it.each([
    ['Catalog V1', productsV1.rules],
    ['Catalog V3', productsV3.rules],
  ])('every neutral name on %s maps to a field one of its endpoints declares', (_label, rules) => {
    for (const [name, entry] of Object.entries(rules.vocabulary ?? {})) {
      for (const what of ['filter', 'sort'] as const) {
        const field = entry[what];
        if (field === undefined) continue;
        expect(rules.targets.some((t) => declares(t.spec, field, what)), `${name} → ${field} (${what})`).toBe(true);
      }
    }
  });
});
