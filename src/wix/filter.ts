import { UsageError } from '../errors.js';

/**
 * The `--filter` grammar (docs/reference.md section 4), a hand-written scanner over code points:
 *
 *   expression := FIELD | "!" FIELD | FIELD OP VALUE | FIELD LISTOP "(" ITEM ("," ITEM)* ")"
 *   OP         := "=" | "!=" | ">" | ">=" | "<" | "<=" | "^=" (starts with) | "~=" (contains) | "$=" (ends with)
 *   LISTOP     := "in" | "notin" | "has" | "hasall"          (any letter case; whitespace before it is required)
 *   FIELD      := segments of letters, digits, "_" and "-", joined by "."
 *   VALUE      := a quoted string, or the rest of the expression, trimmed
 *   ITEM       := a quoted string, or the text up to the next "," or ")", trimmed
 *
 * Unquoted values are typed: JSON numbers (no leading zeros, exact integers only), true, false and null; anything else
 * is a string. After "^=", "~=" and "$=" a value is always a string (they compare text). Single or double quotes force a string; inside them a backslash takes the next character literally.
 */

/** A Wix query filter object: `{"field": value}` or `{"field": {"$op": value}}`, combined with `$and`/`$or`/`$not`. */
export type WixFilter = Record<string, unknown>;

/** A typed value in a filter expression. */
export type FilterValue = string | number | boolean | null;

/** Every operator the grammar accepts, in the order the error messages list them. */
export const FILTER_OPERATORS = ['=', '!=', '>', '>=', '<', '<=', '^=', '~=', '$=', 'in', 'notin', 'has', 'hasall'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const WIX_OPERATORS: Record<Exclude<FilterOperator, '='>, string> = {
  '!=': '$ne',
  '>': '$gt',
  '>=': '$gte',
  '<': '$lt',
  '<=': '$lte',
  '^=': '$startsWith',
  '~=': '$contains',
  '$=': '$endsWith',
  in: '$in',
  notin: '$nin',
  has: '$hasSome',
  hasall: '$hasAll',
};

const LIST_OPERATORS = new Set<FilterOperator>(['in', 'notin', 'has', 'hasall']);
/** The operators that compare text: their unquoted value is never typed. */
const TEXT_OPERATORS: ReadonlySet<FilterOperator> = new Set(['^=', '~=', '$=']);
const SYMBOL_OPERATORS_LONGEST_FIRST = ['!=', '>=', '<=', '^=', '~=', '$=', '=', '>', '<'] as const;
const EXPECTED_OPERATOR = `expected an operator: ${FILTER_OPERATORS.join(' ')}`;

/** A `--filter` expression that does not parse; `column` is the 1-based position of the offending character. */
export class FilterSyntaxError extends UsageError {
  readonly expression: string;
  readonly column: number;

  constructor(expression: string, problem: string, column: number) {
    super(`bad filter ${JSON.stringify(expression)}: ${problem}`, { hint: caretHint(expression, column) });
    this.expression = expression;
    this.column = column;
  }
}

/** Parses one `--filter` expression into a Wix query filter; throws FilterSyntaxError (a UsageError) when it does not parse. */
export function parseFilter(expression: string): WixFilter {
  return new FilterParser(expression).parse();
}

/** Whether a string is a valid field path: segments of letters, digits, `_` and `-`, joined by dots. */
export function isFieldPath(path: string): boolean {
  if (path === '') return false;
  return path.split('.').every((segment) => segment !== '' && [...segment].every(isFieldChar));
}

/** Types an unquoted value: JSON numbers that survive the round trip, true, false and null; else the string itself. */
export function typeUnquotedValue(raw: string): FilterValue {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(raw)) {
    const value = Number(raw);
    const isIntegerLiteral = /^-?[0-9]+$/.test(raw);
    // A 20-digit SKU must not silently become a rounded number.
    if (Number.isFinite(value) && (!isIntegerLiteral || Number.isSafeInteger(value))) return value;
  }
  return raw;
}

function isFieldChar(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_.-]$/.test(c);
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z]$/.test(c);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Names a character for an error message without breaking the one-line message. */
function describeChar(c: string): string {
  return c === '"' ? `'"'` : JSON.stringify(c);
}

/** The expression with a caret under the offending column (control characters shown as spaces so the caret lines up). */
function caretHint(expression: string, column: number): string {
  const shown = Array.from(expression, (c) => (/[\u0000-\u001f\u007f-\u009f]/.test(c) ? ' ' : c)).join('');
  return `  ${shown}\n  ${' '.repeat(Math.max(0, column - 1))}^`;
}

class FilterParser {
  private readonly chars: string[];
  private pos = 0;

  constructor(private readonly expression: string) {
    this.chars = Array.from(expression);
  }

  parse(): WixFilter {
    this.skipSpaces();
    if (this.atEnd()) this.fail('empty expression (expected FIELD OP VALUE, FIELD or !FIELD)', 1);

    const negated = this.peek() === '!';
    if (negated) {
      this.pos++;
      this.skipSpaces();
    }
    const field = this.readField(negated);
    this.skipSpaces();

    if (this.atEnd()) return { [field]: { $exists: !negated } };
    if (negated) this.failHere(`(a negated field "!${field}" takes no operator or value)`);

    const operator = this.readOperator();
    const value = LIST_OPERATORS.has(operator) ? this.readList(operator) : this.readScalar(operator);
    if (operator === '=') return { [field]: value };
    return { [field]: { [WIX_OPERATORS[operator]]: value } };
  }

  private readField(afterBang: boolean): string {
    const start = this.pos;
    while (isFieldChar(this.peek())) this.pos++;
    if (this.pos === start) {
      if (this.atEnd()) this.fail(`missing field name after "!" at column ${this.column()} (end of the expression)`);
      const c = this.peek()!;
      if (!afterBang && '=!<>^~$'.includes(c)) this.fail(`missing field name before ${describeChar(c)} at column ${this.column()}`);
      this.failHere('(expected a field name: letters, digits, _ . -)');
    }
    const field = this.chars.slice(start, this.pos).join('');
    // Point at the dot that has no name on one side of it.
    for (let i = start; i < this.pos; i++) {
      if (this.chars[i] !== '.') continue;
      const before = i === start || this.chars[i - 1] === '.';
      const after = i === this.pos - 1;
      if (before || after) {
        this.fail(`empty segment in field name ${JSON.stringify(field)} at column ${i + 1} (a "." needs a name on both sides)`, i + 1);
      }
    }
    return field;
  }

  private readOperator(): FilterOperator {
    const start = this.pos;
    for (const symbol of SYMBOL_OPERATORS_LONGEST_FIRST) {
      if (this.chars.slice(start, start + symbol.length).join('') === symbol) {
        this.pos += symbol.length;
        return symbol;
      }
    }
    if (isLetter(this.peek())) {
      let end = start;
      while (isFieldChar(this.chars[end])) end++;
      const word = this.chars.slice(start, end).join('');
      const operator = word.toLowerCase();
      if (LIST_OPERATORS.has(operator as FilterOperator)) {
        this.pos = end;
        return operator as FilterOperator;
      }
      this.fail(`unknown operator ${JSON.stringify(word)} at column ${start + 1} (${EXPECTED_OPERATOR})`, start + 1);
    }
    this.failHere(`(${EXPECTED_OPERATOR})`);
  }

  private readScalar(operator: FilterOperator): FilterValue {
    this.skipSpaces();
    if (this.atEnd()) this.fail(`missing value after "${operator}" at column ${this.column()} (end of the expression)`);
    if (this.isQuote(this.peek())) {
      const value = this.readQuoted();
      this.skipSpaces();
      if (!this.atEnd()) this.failHere('(nothing may follow the closing quote; quote the whole value)');
      return value;
    }
    const raw = trimSpaces(this.chars.slice(this.pos).join(''));
    this.pos = this.chars.length;
    // Starts with, contains and ends with compare text: `title$=3` means the text "3", not the number.
    return TEXT_OPERATORS.has(operator) ? raw : typeUnquotedValue(raw);
  }

  private readList(operator: FilterOperator): FilterValue[] {
    this.skipSpaces();
    if (this.atEnd()) this.fail(`missing list after "${operator}" at column ${this.column()} (expected "(a,b,…)")`);
    if (this.peek() !== '(') this.failHere(`(expected "(" to start the list after "${operator}")`);
    const openColumn = this.column();
    this.pos++;
    const items: FilterValue[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd()) this.fail(`unclosed "(" at column ${openColumn} (expected ")")`, openColumn);
      const c = this.peek()!;
      if (c === ')') {
        if (items.length === 0) this.fail(`empty list at column ${openColumn} (expected at least one value)`, openColumn);
        this.fail(`missing value after "," at column ${this.column()}`);
      }
      if (c === ',') this.fail(`missing value before "," at column ${this.column()}`);
      items.push(this.isQuote(c) ? this.readQuoted() : this.readUnquotedItem());
      this.skipSpaces();
      if (this.atEnd()) this.fail(`unclosed "(" at column ${openColumn} (expected ")")`, openColumn);
      const next = this.peek();
      this.pos++;
      if (next === ')') break;
      if (next !== ',') {
        this.pos--;
        this.failHere('(expected "," or ")" after a quoted list value)');
      }
    }
    this.skipSpaces();
    if (!this.atEnd()) this.failHere('(nothing may follow the closing ")")');
    return items;
  }

  private readUnquotedItem(): FilterValue {
    const start = this.pos;
    while (!this.atEnd() && this.peek() !== ',' && this.peek() !== ')') this.pos++;
    return typeUnquotedValue(trimSpaces(this.chars.slice(start, this.pos).join('')));
  }

  private readQuoted(): string {
    const quote = this.peek()!;
    const openColumn = this.column();
    this.pos++;
    let value = '';
    while (!this.atEnd()) {
      const c = this.chars[this.pos++]!;
      if (c === quote) return value;
      if (c === '\\') {
        if (this.atEnd()) break;
        value += this.chars[this.pos++];
      } else {
        value += c;
      }
    }
    const name = quote === '"' ? 'double' : 'single';
    return this.fail(`unclosed ${name} quote at column ${openColumn} (add the closing ${quote})`, openColumn);
  }

  private isQuote(c: string | undefined): boolean {
    return c === '"' || c === "'";
  }

  private skipSpaces(): void {
    while (isSpace(this.peek())) this.pos++;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.chars.length;
  }

  private column(): number {
    return this.pos + 1;
  }

  private failHere(expectation: string): never {
    const c = this.peek();
    if (c === undefined) this.fail(`unexpected end of the expression at column ${this.column()} ${expectation}`);
    this.fail(`unexpected ${describeChar(c)} at column ${this.column()} ${expectation}`);
  }

  private fail(problem: string, column = this.column()): never {
    throw new FilterSyntaxError(this.expression, problem, column);
  }
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  return text.slice(start, end);
}

/** ANDs two Wix filters without nesting needlessly. */
export function andFilter(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(a).length === 0) return b;
  if (Object.keys(b).length === 0) return a;
  return { $and: [a, b] };
}

/**
 * The one walk over a Wix filter's field conditions: `fn` sees each field and its condition (a value or an operator
 * object such as `{"$gt": 5}`), at any depth under `$and`, `$or` and `$not` (a filter or, as the Data API sends it,
 * an array of filters), and returns the field and condition to keep. Other `$` keys are kept as they are.
 */
export function mapFilterFields(filter: WixFilter, fn: (field: string, condition: unknown) => [string, unknown]): WixFilter {
  const sub = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sub) : typeof value === 'object' && value !== null ? mapFilterFields(value as WixFilter, fn) : value;
  const out: WixFilter = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$not') out[key] = sub(value);
    else if (key.startsWith('$')) out[key] = value;
    else {
      const [field, condition] = fn(key, value);
      // defineProperty: a field named __proto__ stays a field.
      Object.defineProperty(out, field, { value: condition, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/** Every field a filter names, however deep in `$and`/`$or`/`$not`. */
export function filterFieldNames(filter: WixFilter): Set<string> {
  const names = new Set<string>();
  mapFilterFields(filter, (field, condition) => {
    names.add(field);
    return [field, condition];
  });
  return names;
}
