/**
 * The sinks a scan reports to, on their own: what the CLI picks from, without loading the rest of the
 * scanner's surface (readEvents, the EVTX decoder) that `../index` re-exports. Only re-exports here.
 */
export { jsonlSink, formatDetectionJson } from './jsonl';
export { tableSink, renderTable, type TableOptions } from './table';
export { countSink, renderCounts, type CountOptions } from './count';
export { filesWithMatchesSink } from './files-with-matches';
export { progressSink, formatProgress } from './progress';
export { summarySink, renderSummary, type RuleNotLoaded, type SummaryOptions } from './summary';
export { issueSink } from './issues';
