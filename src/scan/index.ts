/**
 * The bulk scanner: reads inputs (files, directories, globs, stdin; gzip and EVTX by magic), cuts them
 * into chunks of whole lines (or of whole 64 KiB EVTX chunk blocks, decoded on the workers), runs a
 * ChunkMatcher on worker threads and reports detections in input order to sinks, accounting for every
 * line (an EVTX record counts as a line). `readEvents` reads the same inputs as events, without rules. It knows nothing about rules beyond the chunk contract of
 * src/engine; the matcher module and its plan come from the caller. Only re-exports here.
 */
export { scan } from './scan';
export { spawnWorkers, PendingWorkers } from './worker-pool';
export { fitsOneChunk, usefulWorkers, workersReadFiles, type WorkerCountOptions } from './worker-count';
export { readEvents, type EventLine, type EventsFileReport, type EventsOptions, type EventsSink, type EventsSummary } from './events';
export { decodeEvtxBlocks, eventRecordId, evtxProblemIssue, type DecodedBlocks } from './evtx-blocks';
export { EvtxFramer, evtxBlocksPerGroup, type EvtxFramedItem, type EvtxFramerOptions } from './evtx-framer';
export { exitStatus, type ExitStatus } from './exit-status';
export { detectFormat, describeBinary } from './detect-format';
export { expandInputs, type InputEntry } from './expand-inputs';
export { globToRegExp, hasGlobMeta, splitGlob } from './glob';
export { LineFramer, type FramedItem, type FramerOptions } from './line-framer';
export { RangeFramer, type RangeItem, type RangeFramerOptions, type RangeSource } from './range-framer';
export { lineCountsBalance } from './accounting';
export { formatScanIssue, formatUnparsed, formatBytes, formatDuration } from './format';
export * from './limits';
export * from './types';
export * from './sinks';
