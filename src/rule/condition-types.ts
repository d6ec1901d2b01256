/**
 * Types of the Sigma condition language: the positioned parse tree, the resolved tree over detection
 * identifiers, and the problems found on the way. Plain readonly data, discriminant `kind`, no methods.
 * Offsets are 0-based UTF-16 indexes into the condition string; callers add the YAML offset of the string.
 */

/** Parse tree of a condition, before identifiers are looked up. `and`/`or` chains are n-ary. */
export type ConditionNode =
  | {
      readonly kind: 'and' | 'or';
      readonly args: readonly ConditionNode[];
      readonly offset: number;
      readonly length: number;
    }
  | { readonly kind: 'not'; readonly arg: ConditionNode; readonly offset: number; readonly length: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly offset: number; readonly length: number }
  | {
      readonly kind: 'selector';
      /** `1 of` and `any of` are both 'any'. */
      readonly quantifier: 'any' | 'all';
      /** 'them' or a name pattern in which `*` is any run of characters. */
      readonly pattern: string;
      readonly offset: number;
      readonly length: number;
    };

export type ConditionProblemCode =
  | 'CONDITION_EMPTY'
  | 'CONDITION_UNEXPECTED_CHARACTER'
  | 'CONDITION_UNBALANCED_PAREN'
  | 'CONDITION_EMPTY_PARENS'
  | 'CONDITION_TRAILING_OPERATOR'
  | 'CONDITION_EXPECTED_OPERAND'
  | 'CONDITION_EXPECTED_OPERATOR'
  | 'CONDITION_EXPECTED_PATTERN'
  | 'CONDITION_UNSUPPORTED_QUANTIFIER'
  | 'CONDITION_WILDCARD_OUTSIDE_SELECTOR'
  | 'CONDITION_TOO_DEEP'
  | 'CONDITION_AGGREGATION_UNSUPPORTED'
  | 'CONDITION_NEAR_UNSUPPORTED'
  | 'CONDITION_UNDEFINED_IDENTIFIER'
  | 'CONDITION_SELECTOR_NO_MATCH';

export interface ConditionProblem {
  readonly code: ConditionProblemCode;
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  readonly severity: 'error' | 'warning';
}

/** A legacy (Sigma v1) clause: `| count(f) by g > 5` and friends, or `near a and not b`. Parsed, never compiled. */
export interface AggregationClause {
  readonly kind: 'aggregation' | 'near';
  /** Absent for `near` and for an aggregation whose function is not one of these. */
  readonly function?: 'count' | 'min' | 'max' | 'avg' | 'sum';
  /** The clause as written, trimmed, without the leading `|`. */
  readonly text: string;
  /** Offset of `text` in the condition string. */
  readonly offset: number;
}

export interface ParsedCondition {
  /** Absent when the search expression has a syntax error (see `problems`). */
  readonly ast?: ConditionNode;
  readonly aggregation?: AggregationClause;
  readonly problems: readonly ConditionProblem[];
}

/** A condition after selectors are expanded and every identifier is known to exist. */
export type ResolvedCondition =
  | { readonly kind: 'and' | 'or'; readonly args: readonly ResolvedCondition[] }
  | { readonly kind: 'not'; readonly arg: ResolvedCondition }
  /** `offset` is where the name is written, or where the selector that produced it is. */
  | { readonly kind: 'ref'; readonly name: string; readonly offset: number };
