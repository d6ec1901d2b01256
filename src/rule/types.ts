/**
 * The rule model: what a Sigma rule document says, checked for shape, with source offsets kept.
 * Detection definitions stay as located YAML here; `parse-detection.ts` turns them into search
 * identifiers and `parse-condition.ts` turns condition strings into trees.
 */
import type { YamlMap, YamlNode } from './yaml-tree';

export interface Logsource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
  readonly definition?: string;
}

export interface SigmaRule {
  readonly kind: 'rule';
  readonly file: string;
  /** 0-based index of the YAML document in its file. */
  readonly documentIndex: number;
  /** Offset of the document in the file text. */
  readonly offset: number;
  readonly title: string;
  readonly id?: string;
  readonly name?: string;
  readonly status?: string;
  readonly level?: string;
  readonly description?: string;
  readonly author?: string;
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly logsource: Logsource;
  /** The `detection` section as located YAML. */
  readonly detection: YamlMap;
  /** The whole document after v1 collection actions (`global`, `repeat`) were applied. */
  readonly raw: YamlMap;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile'
  | 'value_median';

export interface CorrelationCondition {
  readonly op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';
  readonly count: number;
  readonly field?: string;
  readonly percentile?: number;
}

export interface SigmaCorrelation {
  readonly kind: 'correlation';
  readonly file: string;
  readonly documentIndex: number;
  readonly offset: number;
  readonly title: string;
  readonly id?: string;
  readonly name?: string;
  readonly level?: string;
  readonly type: CorrelationType;
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanSeconds: number;
  readonly timespanSpec: string;
  /** A threshold condition, or a boolean expression over rule names (pySigma's extended temporal form). */
  readonly condition: CorrelationCondition | { readonly extendedExpression: string };
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly generate: boolean;
  readonly raw: YamlMap;
}

export type SigmaDocument = SigmaRule | SigmaCorrelation;

/** A located YAML node, re-exported so later stages need not import the YAML layer for types. */
export type { YamlNode, YamlMap };
