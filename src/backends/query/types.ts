/**
 * Types shared by the text-query converter and its engine tables. A table says how one engine writes
 * each kind of leaf (or why it cannot) and its boolean tokens; the converter owns structure, grouping,
 * stages and problem collection, so no table walks the IR.
 */
import type { TestNode } from '../../ir/types';

export type QueryTarget = 'es-qs' | 'xpack-watcher' | 'graylog' | 'splunk' | 'logpoint';

export const QUERY_TARGETS: readonly QueryTarget[] = ['es-qs', 'xpack-watcher', 'graylog', 'splunk', 'logpoint'];

/** Rule metadata some targets embed (the Watcher's name, subject and metadata). */
export interface QueryRuleInfo {
  readonly title: string;
  readonly id?: string;
  readonly description?: string;
  readonly level?: string;
  readonly tags?: readonly string[];
}

export interface QueryOptions {
  readonly rule: QueryRuleInfo;
}

export interface QueryProblem {
  /** Offset in the rule file of the construct concerned (a leaf's value). */
  readonly offset: number;
  readonly message: string;
}

export type QueryResult =
  /** `warnings` name what the output only approximates (the caller shows them as warnings). */
  | { readonly ok: true; readonly output: string; readonly warnings: readonly QueryProblem[] }
  | { readonly ok: false; readonly problems: readonly QueryProblem[] };

/** One way to write a leaf in one stage of an engine's query. */
export interface Form {
  readonly text: string;
  /** Set when the text is `<field><op><value>` and several values of one field may share one group. */
  readonly group?: { readonly field: string; readonly value: string };
  /** The text holds a boolean operator of its own, so it needs parentheses inside another expression. */
  readonly compound?: boolean;
  /** The text is a negation (`NOT _exists_:f`): Lucene needs it parenthesized inside OR. */
  readonly negated?: boolean;
  /** What this form only approximates; reported as warnings when the form is used. */
  readonly warnings?: readonly string[];
}

export interface Refusal {
  /** The full message: names the construct and the engine. */
  readonly refused: string;
}

export type FormResult = Form | Refusal;

export function isRefusal(f: FormResult): f is Refusal {
  return 'refused' in f;
}

/** The boolean tokens of one query language. */
export interface BooleanSyntax {
  readonly and: string;
  readonly or: string;
  /** Prefix for a negation (`NOT `, `-`). */
  readonly not: string;
  /** Classic Lucene reads `a OR NOT b` as `a AND NOT b`, so a negation inside OR must be parenthesized. */
  readonly parenthesizeNotInOr: boolean;
  /** Writes several values of one field as one group (`field:(a OR b)`, `field IN (...)`), if the language has it. */
  readonly fieldGroup?: (field: string, values: readonly string[]) => string;
  /** The query that matches every event (for a rule whose detection is always true). */
  readonly matchAll: string;
}

/**
 * A second stage after the main search, for leaves the search language cannot hold: Splunk's
 * `| where <eval expression>` (a full boolean language), LogPoint's `| process regex(...)` filters (one
 * leaf each). Only conjuncts of the top-level AND may move there, so the meaning stays the same.
 */
export type SecondStage =
  | {
      readonly kind: 'boolean';
      readonly syntax: BooleanSyntax;
      readonly join: (search: string | undefined, where: string) => string;
    }
  | {
      readonly kind: 'pipeline';
      readonly join: (search: string | undefined, filters: readonly string[]) => string;
    };

export interface LeafForms {
  /** The leaf in the engine's main search language. */
  readonly search: FormResult;
  /** The leaf in the second stage, when the engine has one. */
  readonly second?: FormResult;
}

export interface EngineTable {
  /** Engine name used in messages. */
  readonly engine: string;
  readonly search: BooleanSyntax;
  readonly secondStage?: SecondStage;
  readonly leaf: (node: TestNode) => LeafForms;
}
