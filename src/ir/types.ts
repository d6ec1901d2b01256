/**
 * The normalised boolean IR that every backend and engine shares. Plain readonly data, no methods.
 * Modifiers are already applied: a leaf says exactly what to test on which field. A string pattern is
 * a sequence of literal runs and wildcards, so no backend ever re-parses Sigma's `*`, `?` or escapes.
 */

export type Wildcard = { readonly wildcard: '*' | '?' };
export type Placeholder = { readonly placeholder: string };
/** Literal runs (never empty, never two in a row), wildcards and (before resolution) placeholders. */
export type PatternPart = string | Wildcard | Placeholder;
export type Pattern = readonly PatternPart[];

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export type ValueTest =
  /** Whole-value match of the pattern; case-insensitive unless `cased`. */
  | { readonly kind: 'string'; readonly pattern: Pattern; readonly cased: boolean }
  /** A regular expression searched in the value (unanchored, as Sigma `re`); flags ⊆ "ims". */
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string }
  /** Numeric equality; also matches a string field whose text is that number. */
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** The field is absent or null. */
  | { readonly kind: 'null' }
  | {
      readonly kind: 'cidr';
      readonly cidr: string;
      readonly version: 4 | 6;
      readonly network: string;
      readonly prefixLength: number;
      readonly first: string;
      readonly last: string;
    }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: number }
  /** The field is present (with any value, null included). `exists: false` lowers to `not exists`. */
  | { readonly kind: 'exists' }
  /** Compares with another field of the same event. */
  | { readonly kind: 'fieldref'; readonly field: string; readonly startswith: boolean; readonly endswith: boolean }
  /** A part of a timestamp field compared with a number (`ts|hour: 3`, `ts|hour|gt: 20`). */
  | { readonly kind: 'timepart'; readonly part: TimePart; readonly op: CompareOp | 'eq'; readonly value: number };

export interface TestNode {
  readonly kind: 'test';
  /** Sigma field name as written in the rule; `null` for a keyword (matched against the whole event). */
  readonly field: string | null;
  readonly test: ValueTest;
  /** Offset of the value in the rule file, for diagnostics from later stages. */
  readonly offset: number;
}

export type IrNode =
  | { readonly kind: 'and'; readonly args: readonly IrNode[] }
  | { readonly kind: 'or'; readonly args: readonly IrNode[] }
  | { readonly kind: 'not'; readonly arg: IrNode }
  | { readonly kind: 'const'; readonly value: boolean }
  | TestNode;

export { assertNever } from '../util/assert-never';

export function isWildcard(p: PatternPart): p is Wildcard {
  return typeof p === 'object' && 'wildcard' in p;
}

export function isPlaceholder(p: PatternPart): p is Placeholder {
  return typeof p === 'object' && 'placeholder' in p;
}
