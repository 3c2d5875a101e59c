import fc from 'fast-check';

/**
 * Generated wixq command lines for the fuzz tests: real commands and flags, with real values and junk mixed in, and the
 * contract every outcome must keep (exit 0 or 2, one clear message, never a stack trace).
 */

/** What one run of wixq gave, in-process or as a subprocess. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Why an outcome breaks the contract for bad or odd input (undefined: it holds). */
export function contractProblem(o: Outcome): string | undefined {
  if (o.code !== 0 && o.code !== 2) return `exit ${o.code}`;
  if (/^\s+at /m.test(o.stderr)) return 'a stack trace on stderr';
  if (/unexpected failure/i.test(o.stderr)) return '"unexpected failure" on stderr';
  if (/System error occurred|\[object Object\]|undefined is not|Cannot read propert/.test(o.stderr)) return 'an internal message on stderr';
  if (o.code === 2) {
    if (o.stdout !== '') return 'data on stdout for a usage error';
    const lines = o.stderr.trimEnd().split('\n');
    // One error line; a filter error adds the expression and a caret under the offending character, commander a suggestion.
    if (lines.filter((l) => /^error:/i.test(l)).length !== 1) return 'not exactly one error line';
    if (lines.length > 3) return `${lines.length} lines on stderr`;
  }
  return undefined;
}

// ---- The grammar: real commands and flags, with real values and junk mixed in. ----

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', ' ', '-', '--', '-1', 'NaN', 'Infinity', '1e3', '0x10', '1.5', '１２', '💥', '\u0000', 'null', '{}', '[]', '"', "'"),
);
const count = fc.oneof(fc.integer({ min: -3, max: 300 }).map(String), fc.constantFrom('0', '1', '100', '1000000', '1000001', '99999999999', '1.0', '+5', ' 7 '), junk);
// Small positive timeouts are valid and would make slow-but-correct requests fail: keep valid ones generous.
const timeout = fc.oneof(fc.constantFrom('10', '30', '12.5', '0', '-1', '3601', '1e9', 'abc', '', 'NaN'), junk.filter((s) => !(Number(s) > 0 && Number(s) < 10)));

const field = fc.oneof(
  fc.constantFrom('name', 'price.price', '_id', 'collectionIds', 'ribbon', 'slug', 'stock.inStock', 'numericId', 'visible', 'a-b', 'x.y.z', '.', '..a', '_'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const operator = fc.constantFrom('=', '!=', '>', '>=', '<', '<=', '^=', ' in ', ' notin ', ' has ', ' hasall ', '==', '=>', '~', ' ', '', '=!', '<>');
const scalar = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom('true', 'false', 'null', 'Red shirt', '"Red shirt"', '"', '"\\"', '"a\\"b"', '\'x\'', '', '()', '(', ')', ',', 'Cozy'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
);
const list = fc.array(scalar, { maxLength: 4 }).map((xs) => `(${xs.join(',')})`);
const filter = fc.oneof(
  fc.tuple(field, operator, fc.oneof(scalar, list)).map(([f, o, v]) => `${f}${o}${v}`),
  field.map((f) => `!${f}`),
  field,
  fc.constantFrom('name in (a,', '_id notin ()', 'price.price>10', 'name^=Co', 'ribbon', '!ribbon', 'collectionIds hasall (a,b)', 'price.price>=1e400'),
  // Values for the field's type and values it cannot take (checked before sending: exit 2 with what it takes).
  fc.constantFrom('price=>100', 'price>>100', 'price>abc', 'price>=20', 'productType=Physical', 'productType=physical', 'created>2024-01-01', 'created>2024', 'numericId^=1', 'sku=123'),
  fc.string({ unit: 'grapheme', maxLength: 16 }),
);
const sort = fc.oneof(fc.constantFrom('name', '-name', 'price.price', '-price.price', 'name,-slug', '', '-', '--name', ',,', '-_id', 'nope'), junk);
const fields = fc.oneof(fc.constantFrom('name', '_id,name', 'price.price', '', ',', 'a..b', '.x', 'name,name', 'stock.inStock', 'nmae', 'priceData.nope'), junk);
const query = fc.oneof(
  fc.json({ maxDepth: 3 }),
  junk,
  fc.constantFrom(
    '{"filter":{"name":{"$startsWith":"C"}}}',
    '{"sort":[{"fieldName":"name","order":"DESC"}]}',
    '{"filter":{"price.price":{"$gt":"x"}}}',
    '{"filter":{"$and":[]}}',
    '{"filter":{"$or":[{"name":"a"},{"name":{"$in":[]}}]}}',
    '{"paging":{"limit":-1}}',
    '{"filter":{"name":{"$regex":"x"}}}',
    '{"filter":',
    '{"filter":null,"sort":"name"}',
    '{"__proto__":{"x":1}}',
  ),
);
const format = fc.oneof(fc.constantFrom('json', 'ndjson', 'csv', 'tsv', 'table'), fc.constantFrom('yaml', 'JSON', '', 'xml'), junk);
const date = fc.oneof(
  fc.constantFrom('today', 'tomorrow', 'now', '+3d', '+0d', '+100d', '2026-12-01', '2026-02-30', '2026-12-01T10:00', '1999-01-01', '9999-12-31', '', 'yesterday', '+-1d', '2026-13-01', '2026-12-01T25:00'),
  junk,
);
const zone = fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Kiritimati', 'Mars/Base', '', 'utc', 'Etc/GMT+14', '+02:00', 'Local'), junk);
const unknownFlag = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }).map((s) => `--zz-${s}`), fc.constantFrom('-q', '-z', '-x', '---', '--=', '--limit=', '-L'));

const listFlag: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('--limit', '-L'), count),
  fc.tuple(fc.constant('--offset'), count),
  fc.constant<string[]>(['--all']),
  fc.tuple(fc.constant('--filter'), filter),
  fc.tuple(fc.constant('--filter'), filter),
  fc.tuple(fc.constant('--sort'), sort),
  fc.tuple(fc.constant('--query'), query),
  fc.tuple(fc.constant('--fields'), fields),
  fc.tuple(fc.constant('--concurrency'), count),
);
const globalFlag: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('-o', '--output'), format),
  fc.constant<string[]>(['--json']),
  fc.tuple(fc.constant('--retries'), fc.oneof(fc.integer({ min: 0, max: 2 }).map(String), junk, fc.constantFrom('11', '-1'))),
  fc.tuple(fc.constant('--timeout'), timeout),
  // v3 is a real value, but this site is V1: the emulator's 428 is exit 1 by design, so only v1 and junk here.
  fc.tuple(fc.constant('--catalog'), fc.constantFrom('v1', 'v2', 'V1', '', 'v3x')),
  fc.tuple(fc.constant('--profile'), fc.oneof(fc.constantFrom('fuzz', 'a.b', '-x', '__proto__', 'x'.repeat(70), 'ü'), junk)),
  fc.tuple(fc.constant('--api-url'), fc.constantFrom('ftp://x', 'not a url', 'http://', 'http://h/?q=1', '', 'http://u:p@h')),
  fc.constantFrom<string[]>(['--no-color'], ['--no-input']),
  unknownFlag.map((f) => [f]),
  fc.tuple(unknownFlag, junk),
);
// A stray word: extra arguments for list and get (usage errors); for slots it would be a service to look up, so not there.
const stray: fc.Arbitrary<string[]> = junk.map((j) => [j]);
const slotsFlag: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constant('--from'), date),
  fc.tuple(fc.constant('--to'), date),
  fc.tuple(fc.constant('--tz'), zone),
  fc.constant<string[]>(['--include-full']),
  fc.tuple(fc.constant('--fields'), fields),
);

/** The demo CMS for `data` and `snapshot`: collections a visitor may read (an unknown one is a legitimate exit 3). */
export interface CmsSample {
  /** IDs of items of the `team` collection, for `data items get team <ID>`. */
  teamItems: string[];
  /** A file `snapshot --out` may write (junk there would litter the working directory). */
  outFile: string;
}

// `events-log` (15,000 items) stays out: `--all` over it is the e2e test's work, not a fuzz run's.
// A members-only collection is a legitimate exit 4 for a visitor: only the snapshot names one (it leaves it out).
const readable = fc.constantFrom('team', 'articles', 'tags');
const dataFlag: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constant('--include-referenced'), fc.oneof(fc.constantFrom('author', 'tags', 'title', ''), junk)),
  fc.constant<string[]>(['--consistent-read']),
  fc.tuple(fc.constant('--search'), fc.oneof(fc.constantFrom('designer', 'part', '', ' '), junk)),
  fc.tuple(fc.constant('--filter'), fc.oneof(filter, fc.constantFrom('title~=part', 'views>500', 'role notin (Developer,Designer)', 'title$=1', '_createdDate>=2024-02-01', '_updatedDate<now', 'order>=3', 'featured=true'))),
  fc.tuple(fc.constant('--sort'), fc.oneof(sort, fc.constantFrom('-views', 'order,-title', '_createdDate'))),
);
// Parts a visitor's snapshot may take whatever the others are: excluding `team` or `tags` while `articles` is in is a
// legitimate exit 1 (a reference to a collection left out), so only `articles` is excluded.
const part = fc.oneof(fc.constantFrom('products', 'collections', 'categories', 'services', 'data', 'data:team', 'data:articles', 'data:members-news', 'data:', 'orders', ''), junk);
const parts = fc.array(part, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const excluded = fc.oneof(fc.constantFrom('products', 'collections', 'services', 'data:articles', 'data', 'data:'), junk);

/** Argument vectors: a command, then flags in any order (flat). */
export function argvArbitrary(services: string[], products: string[], cms: CmsSample): fc.Arbitrary<string[]> {
  const flags = (pool: fc.Arbitrary<string[]>, max: number) => fc.array(pool, { maxLength: max }).map((groups) => groups.flat());
  const snapshotFlag: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(fc.constant('--include'), parts),
    fc.tuple(fc.constant('--exclude'), excluded),
    fc.tuple(fc.constant('--concurrency'), count),
    fc.tuple(fc.constant('--out'), fc.constantFrom(cms.outFile, '', ' ', `${cms.outFile}.missing/site.json`)),
  );
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.tuple(readable, flags(fc.oneof(listFlag, dataFlag, dataFlag, globalFlag, stray), 4)).map(([c, f]) => ['data', 'items', 'list', c, ...f]),
        fc.tuple(fc.constantFrom(...cms.teamItems), flags(fc.oneof(dataFlag, globalFlag, stray, fc.tuple(fc.constant('--fields'), fields)), 3)).map(([id, f]) => ['data', 'items', 'get', 'team', id, ...f]),
        fc.tuple(readable, flags(fc.oneof(dataFlag, globalFlag, fc.tuple(fc.constant('--query'), query)), 3)).map(([c, f]) => ['data', 'items', 'count', c, ...f]),
        fc.tuple(readable, flags(fc.oneof(globalFlag, stray, fc.tuple(fc.constant('--fields'), fields)), 2)).map(([c, f]) => ['data', 'collections', 'get', c, ...f]),
      ),
    },
    { weight: 1, arbitrary: flags(fc.oneof(snapshotFlag, snapshotFlag, globalFlag, stray), 3).map((f) => ['snapshot', ...f]) },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(['products', 'list'], ['collections', 'list'], ['services', 'list']), flags(fc.oneof(listFlag, listFlag, globalFlag, stray), 4)).map(([c, f]) => [...c, ...f]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...products), flags(fc.oneof(globalFlag, stray, fc.tuple(fc.constant('--fields'), fields)), 3)).map(([id, f]) => ['products', 'get', id, ...f]) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...services), flags(fc.oneof(slotsFlag, slotsFlag, globalFlag), 4)).map(([s, f]) => ['slots', s, ...f]) },
    {
      weight: 1,
      // Settings go to a profile of their own, so a valid value set here changes nothing for the other runs.
      arbitrary: fc.tuple(fc.constantFrom('retries', 'timeout', 'output', 'api-url', 'client-id', 'colour', ''), junk).map(([k, v]) => ['--profile', 'fuzz-settings', 'config', 'set', k, v]),
    },
    { weight: 1, arbitrary: fc.tuple(junk, flags(fc.oneof(globalFlag, stray), 2)).map(([c, f]) => [c, ...f]) },
  );
}
