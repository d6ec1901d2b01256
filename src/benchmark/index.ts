/**
 * Benchmarks: what each rule of a set costs on a corpus (`sigrep bench`), measured in one thread with the
 * engine's profiler, and the grep -P one-liner beside the plan. Only re-exports here.
 */
export { benchRules, BenchInputError, DEFAULT_TOP, type BenchOptions, type BenchResult } from './bench-rules';
export { renderBenchReport } from './render-report';
export { ruleCosts, reasonShares, type CostInputs } from './rule-costs';
export { slowReasons, describeReason, ruleLeaves, isLeadingWildcardRegex, HUGE_EXPANSION_LEAVES, COMMON_LITERAL_PASS_RATE } from './slow-reasons';
export { singleThreadPass, type PassOptions, type PassResult } from './single-thread-pass';
export { grepCount, plainInputs, GREP_TIMEOUT_MS, type GrepRun, type PlainInputs } from './grep-compare';
export * from './types';
