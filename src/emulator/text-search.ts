import { QueryValidationError, type Predicate } from './query-engine.js';

/**
 * Free-text search of Wix search APIs (`search.search`: `SearchDetails {expression, mode, fields, fuzzy}` in the
 * @wix/auto_sdk_* typings): terms are matched at word starts, case-insensitive, over the API's `searchable` fields.
 */

/** A validated `SearchDetails`. */
export interface TextSearch {
  terms: string[];
  /** `OR` (the enum's first value, so the default): any term; `AND`: every term. */
  mode: 'OR' | 'AND';
  /** Searchable fields to look in; all of them when the request names none. */
  fields: readonly string[];
}

function violation(field: string, description: string, violatedRule = 'INVALID'): QueryValidationError {
  return new QueryValidationError([{ field, description, violatedRule, ruleName: 'VALIDATION_ERROR', data: {} }]);
}

/** Reads `search.search`; undefined when there is no expression. Throws QueryValidationError for a bad one. */
export function readTextSearch(raw: unknown, searchable: readonly string[], where: string): TextSearch | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw violation(where, 'must be an object');
  const details = raw as { expression?: unknown; mode?: unknown; fields?: unknown };
  if (details.expression !== undefined && details.expression !== null && typeof details.expression !== 'string') throw violation(`${where}.expression`, 'must be a string');
  const expression = typeof details.expression === 'string' ? details.expression : '';
  // SearchDetails.expression is @maxLength 100 in the typings.
  if (expression.length > 100) throw violation(`${where}.expression`, 'must not be longer than 100', 'MAX_LENGTH');
  const mode = details.mode ?? 'OR';
  if (mode !== 'OR' && mode !== 'AND') throw violation(`${where}.mode`, 'must be OR or AND');
  let fields: readonly string[] = searchable;
  if (details.fields !== undefined && details.fields !== null) {
    if (!Array.isArray(details.fields) || details.fields.some((f) => typeof f !== 'string')) throw violation(`${where}.fields`, 'must be an array of field names');
    const unknown = (details.fields as string[]).find((f) => !searchable.includes(f));
    if (unknown !== undefined) throw violation(`${where}.fields`, `${unknown} is not searchable; searchable fields: ${searchable.join(', ')}`);
    if (details.fields.length > 0) fields = details.fields as string[];
  }
  const terms = expression.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return undefined;
  return { terms, mode, fields };
}

/** Whether `term` starts a word of `text` (both lower-case). */
function startsAWord(text: string, term: string): boolean {
  let at = text.indexOf(term);
  while (at >= 0) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1]!)) return true;
    at = text.indexOf(term, at + 1);
  }
  return false;
}

/** A predicate for a search: `textOf(item, field)` gives the texts of one searchable field. */
export function textSearchPredicate(search: TextSearch, textOf: (item: unknown, field: string) => readonly string[]): Predicate {
  return (item) => {
    const texts = search.fields.flatMap((f) => textOf(item, f)).map((t) => t.toLowerCase());
    const hit = (term: string) => texts.some((t) => startsAWord(t, term));
    return search.mode === 'AND' ? search.terms.every(hit) : search.terms.some(hit);
  };
}
