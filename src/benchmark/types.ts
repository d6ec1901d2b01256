/**
 * What `sigrep bench` reports: plain data, the same for the text table and `--json`. Times are in
 * nanoseconds, sizes in bytes of decompressed input; rates are derived once here so every reader agrees.
 */
import type { NotLoadedRule } from '../api';

export const BENCH_REPORT_FORMAT = 'sigrep-bench-report';
export const BENCH_REPORT_VERSION = 1;

/** Why a rule costs what it costs; several may hold. */
export type SlowReason =
  /** The plan rule's prefilter is `[]`: the rule is evaluated on every event. */
  | { readonly kind: 'no-literal' }
  /** The rule has literals but they occur in many lines, so it is evaluated often anyway. */
  | { readonly kind: 'common-literal'; readonly passRate: number; readonly literals: readonly string[] }
  /** Many leaves (modifier expansions such as base64offset, windash, long value lists). */
  | { readonly kind: 'huge-expansion'; readonly leaves: number }
  /** RE2 leaves whose pattern starts with `.*` / `.+`: they scan the whole value. */
  | { readonly kind: 'leading-wildcard-regex'; readonly count: number }
  /** Other RE2 leaves (Sigma `re`, or wildcards in the middle of a value). */
  | { readonly kind: 'regex'; readonly count: number }
  /** Keyword leaves search every string value of the event. */
  | { readonly kind: 'keyword'; readonly count: number };

export interface RuleCost {
  /** Index of the rule in the plan. */
  readonly index: number;
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly level: string;
  /** Events on which the rule was evaluated (it passed the prefilter). */
  readonly evaluated: number;
  readonly detections: number;
  /** Time spent evaluating the rule's condition. */
  readonly nanos: number;
  /** `nanos` spread over every event of the input (what the rule costs per event of your logs). */
  readonly nanosPerEvent: number;
  /** `nanos` per evaluation (what one evaluation costs). */
  readonly nanosPerEvaluation: number;
  /** `nanos` per MB (10^6 bytes) of decompressed input. */
  readonly nanosPerMB: number;
  /** Share of the rules' total evaluation time, 0..1; the shares of all rules sum to 1. */
  readonly share: number;
  /** evaluated / events: how often the prefilter lets the rule through. */
  readonly passRate: number;
  /** Distinct leaves of the rule's condition. */
  readonly leaves: number;
  readonly reasons: readonly SlowReason[];
}

/** The rules' time grouped by reason; a rule with several reasons counts in each, so shares may sum above 1. */
export interface ReasonShare {
  readonly kind: SlowReason['kind'] | 'none';
  readonly rules: number;
  readonly share: number;
}

export interface BenchTotals {
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  /** Lines that were events (parsed or proved by the prefilter to match nothing). */
  readonly events: number;
  /** Lines some rule was a candidate for: decoded, parsed and evaluated. */
  readonly parsedLines: number;
  /** Lines the literals made candidates for some rule, all ruled out by their logsource gate unparsed. */
  readonly gatedLines: number;
  readonly emptyLines: number;
  readonly unparsedLines: number;
  readonly tooLongLines: number;
  readonly detections: number;
  readonly wallNanos: number;
  readonly prefilterNanos: number;
  readonly parseNanos: number;
  readonly ruleNanos: number;
  /** wall − prefilter − parse − rules: reading, gunzip, line framing, bookkeeping, the profiler's clock reads. */
  readonly otherNanos: number;
  readonly eventsPerSecond: number;
  readonly mbPerSecond: number;
}

export type GrepComparison =
  | {
      readonly kind: 'measured';
      readonly rule: { readonly index: number; readonly id: string; readonly title: string; readonly file: string };
      /** The `--fields json` one-liner's pattern, run as `grep -P -i -c PATTERN`. */
      readonly pattern: string;
      readonly grepNanos: number;
      readonly grepCount: number;
      /** The rule alone as a plan, in-process, over the same plain input (reading included). */
      readonly planNanos: number;
      readonly planCount: number;
      /** grepNanos / planNanos: above 1, the plan is faster. */
      readonly speedup: number;
      readonly note?: string;
    }
  | {
      readonly kind: 'skipped';
      readonly rule: { readonly index: number; readonly id: string; readonly title: string; readonly file: string };
      readonly reason: string;
    };

export interface BenchReport {
  readonly format: typeof BENCH_REPORT_FORMAT;
  readonly version: typeof BENCH_REPORT_VERSION;
  readonly inputs: readonly string[];
  readonly prefilterEngine: string;
  readonly totals: BenchTotals;
  /** Every loaded rule, slowest first. */
  readonly rules: readonly RuleCost[];
  readonly byReason: readonly ReasonShare[];
  readonly grep: readonly GrepComparison[];
  readonly notLoaded: readonly NotLoadedRule[];
  /** Inputs that could not be read fully, as `file: reason`. */
  readonly issues: readonly string[];
}
