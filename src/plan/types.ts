/**
 * The matcher plan: sigrep's serialisable, engine-neutral form of a rule set. Produced by backends/plan,
 * executed by engine/. Plain JSON data; versioned so a saved plan is rejected by an engine that reads a
 * different shape. Every regex in a plan is accepted by RE2 (no backtracking engine ever runs a plan).
 *
 * Shape:
 * - `leaves`: deduplicated field tests, each classified once into the cheapest strategy;
 * - `rules`: metadata, a boolean tree over leaf indexes, and the prefilter literals of the rule;
 * - `literals`: the prefilter's literal table (ASCII case-folded as the prefilter compares them).
 */

export const PLAN_FORMAT = 'sigrep-matcher-plan';
export const PLAN_VERSION = 1;

export type PlanNode =
  | { readonly and: readonly PlanNode[] }
  | { readonly or: readonly PlanNode[] }
  | { readonly not: PlanNode }
  | { readonly leaf: number }
  | { readonly const: boolean };

/** How a string leaf compares; `exact`/`prefix`/`suffix`/`contains` are literal strategies, `regex` is RE2. */
export type StringStrategy = 'exact' | 'prefix' | 'suffix' | 'contains' | 'any';

export type PlanLeaf = { readonly field: string | null } & (
  | { readonly kind: StringStrategy; readonly value: string; readonly cased: boolean }
  /** RE2 source (already including any flags as an inline group); searched unless anchored in the source. */
  | { readonly kind: 'regex'; readonly source: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'cidr'; readonly version: 4 | 6; readonly first: string; readonly last: string }
  | { readonly kind: 'compare'; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number }
  | { readonly kind: 'fieldref'; readonly other: string; readonly mode: 'equals' | 'prefix' | 'suffix' | 'contains' }
  | { readonly kind: 'timepart'; readonly part: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'; readonly op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number }
);

export interface PlanRule {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  readonly file: string;
  readonly condition: PlanNode;
  /**
   * The rule's prefilter as a conjunction of clauses of indexes into `literals`: any event the rule matches
   * contains, in its raw line (ASCII case-insensitively), at least one literal of every clause. `[]` (no
   * clause) means the rule must see every event.
   */
  readonly prefilter: readonly (readonly number[])[];
  /**
   * Key names whose presence in a JSON line (written `"name":`, exact case) proves the rule cannot match:
   * the rule requires them absent (`not exists`, as the gate of an unmapped logsource does).
   */
  readonly unlessKeys: readonly string[];
}

/** How field names are found in JSON events. */
export type FieldResolution =
  /** A field is a key of that name at any depth (what a grep one-liner can see). */
  | 'keys'
  /** `keys` plus the Sigma names of evtx_dump attributes, Winlogbeat/ECS names and JSON-in-string fields. */
  | 'sigma';

export interface MatcherPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  readonly fieldResolution: FieldResolution;
  readonly literals: readonly string[];
  readonly leaves: readonly PlanLeaf[];
  readonly rules: readonly PlanRule[];
}
