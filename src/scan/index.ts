/**
 * The bulk scanner: reads inputs (files, directories, globs, stdin; gzip by magic), cuts them into
 * chunks of whole lines, runs a ChunkMatcher on worker threads and reports detections in input order
 * to sinks, accounting for every line. It knows nothing about rules beyond the chunk contract of
 * src/engine; the matcher module and its plan come from the caller. Only re-exports here.
 */
export { scan } from './scan';
export { exitStatus, type ExitStatus } from './exit-status';
export { detectFormat, describeBinary } from './detect-format';
export { expandInputs, type InputEntry } from './expand-inputs';
export { globToRegExp, hasGlobMeta, splitGlob } from './glob';
export { LineFramer, type FramedItem, type FramerOptions } from './line-framer';
export { lineCountsBalance } from './accounting';
export { formatScanIssue, formatUnparsed, formatBytes, formatDuration } from './format';
export * from './limits';
export * from './types';
export { jsonlSink, formatDetectionJson } from './sinks/jsonl';
export { tableSink, renderTable, type TableOptions } from './sinks/table';
export { countSink, renderCounts, type CountOptions } from './sinks/count';
export { filesWithMatchesSink } from './sinks/files-with-matches';
export { progressSink, formatProgress } from './sinks/progress';
export { summarySink, renderSummary, type RuleNotLoaded, type SummaryOptions } from './sinks/summary';
export { issueSink } from './sinks/issues';
