/**
 * Public types of the bulk scanner: options, what it reports (detections, issues, per-file reports, the
 * summary) and the sink interface through which it reports them. Plain data only.
 */
import type { Readable } from 'node:stream';
import type { RuleInfo } from '../engine/chunk-contract';
import type { EvtxProblemCode } from '../evtx';
import type { PendingWorkers } from './worker-pool';

export type { RuleInfo };

/** What the first bytes of an input say it is (for gzip: of the file on disk, whatever it holds). */
export type InputFormat = 'gzip' | 'evtx' | 'text' | 'binary';

export type FormatDetector = (firstBytes: Uint8Array) => InputFormat;

export interface ScanOptions {
  /** Files, directories (walked recursively, sorted), globs (`*`, `?`, `**`, `[...]`); `-` or none = stdin. */
  readonly inputs: readonly string[];
  /** Absolute path of a CommonJS module exporting `createChunkMatcher: ChunkMatcherFactory`. */
  readonly matcherModule: string;
  /** Plain data passed to the factory in every worker. */
  readonly plan: unknown;
  /**
   * Worker threads; default one per core (`os.availableParallelism()`), fewer when the inputs are plain files
   * too small to keep them busy (see usefulWorkers), or the number of `workers`.
   */
  readonly threads?: number;
  /**
   * Workers spawned ahead with `spawnWorkers(threads, matcherModule)` (same module), so their startup overlaps
   * whatever the caller did before it had a plan. The scan takes them over; without it, it spawns its own.
   */
  readonly workers?: PendingWorkers;
  /**
   * Match in the calling thread instead of on workers (not with `threads` or `workers`): for inputs of about one
   * chunk (see fitsOneChunk), where a worker's startup costs more than the matching. Same results.
   */
  readonly mainThread?: boolean;
  /**
   * Who reads a plain (uncompressed, regular) file matched on workers: the main thread, into chunk buffers
   * it sends, or the workers, each its own byte ranges of whole lines that the main thread only cuts. Default:
   * as workersReadFiles says for the threads and cores. Same results either way; not with `mainThread`.
   */
  readonly plainFileReader?: 'main-thread' | 'workers';
  /**
   * Target chunk size in bytes; default DEFAULT_CHUNK_BYTES. EVTX inputs go to workers in groups of
   * whole 64 KiB chunk blocks: floor(chunkBytes / 64 KiB) of them, at least one.
   */
  readonly chunkBytes?: number;
  /** Longer lines are reported and skipped; default DEFAULT_MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Chunks read but not yet emitted; default threads × CHUNKS_IN_FLIGHT_PER_THREAD (RANGES_IN_FLIGHT_PER_THREAD when workers read plain files). */
  readonly maxChunksInFlight?: number;
  readonly sinks?: readonly ScanSink[];
  /** What `-` reads; default `process.stdin`. */
  readonly stdin?: Readable;
  /** Directory that relative inputs and globs are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  /** Replaces the built-in format detection (a hook for new formats). */
  readonly detectFormat?: FormatDetector;
  readonly progressIntervalMs?: number;
}

/**
 * One detection, placed in its input: `line` from 1, `offset` = byte offset of the line in the
 * decompressed input. For EVTX inputs, `line` is the record's ordinal in the file (1-based, in file
 * order, counting only the records decoded) and `offset` the byte offset of the record's header.
 */
export interface Detection {
  readonly rule: RuleInfo;
  /** Index of the rule in `ScanSummary.rules`. */
  readonly ruleIndex: number;
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  /**
   * EVTX only: the event's System.EventRecordID (the record header's number when the event has none).
   * Exported files renumber record headers from 1, so this can differ from an issue's `record`.
   */
  readonly record?: number;
  /** EVTX only, and only when false: the record's chunk failed its data checksum. */
  readonly verified?: false;
  readonly event: unknown;
}

export interface UnparsedLine {
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly reason: string;
}

export type ScanIssueCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'READ_ERROR'
  | 'NO_MATCHING_FILES'
  | 'BINARY_FILE'
  | 'UNSUPPORTED_FORMAT'
  | 'GZIP_ERROR'
  | 'LINE_TOO_LONG'
  | 'MATCHER_INIT_FAILED'
  | 'MATCHER_FAILED'
  | 'MATCHER_CONTRACT'
  /** EVTX damage, with the decoder's own codes (EVTX_BAD_RECORD, EVTX_CHUNK_HEADER_CHECKSUM...). */
  | EvtxProblemCode;

/**
 * A problem met while scanning, placed as precisely as known. Errors make the exit status 2; warnings
 * (binary files skipped, over-long lines skipped) are reported and counted only.
 */
export interface ScanIssue {
  readonly code: ScanIssueCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;
  /** EVTX: 0-based chunk index in the file. */
  readonly chunk?: number;
  /**
   * EVTX: the record header's number (or the one expected in sequence when the header is damaged); a
   * damaged record has no readable EventRecordID. Use `offset` to find it in the file.
   */
  readonly record?: number;
}

/** Every input line is exactly one of evaluated, empty, unparsed, tooLong. */
export interface LineCounts {
  readonly lines: number;
  readonly evaluated: number;
  readonly emptyLines: number;
  readonly unparsed: number;
  readonly tooLong: number;
}

/**
 * What an EVTX input held beyond its records (which count as lines: each decoded record is one
 * evaluated line). Records lost to damage cannot be counted as lines (a skipped chunk's record count
 * is not trustworthy): each loss is an error issue with its chunk and record, tallied here.
 */
export interface EvtxCounts {
  /** Chunk blocks in use (unused all-zero blocks are not counted). */
  readonly chunks: number;
  /** Chunks with an error: skipped whole, truncated, or with records skipped. */
  readonly chunksDamaged: number;
  /** Records skipped because their header or BinXML is damaged. */
  readonly recordsSkipped: number;
  /** Records decoded and evaluated from chunks whose data checksum failed (each chunk is a warning). */
  readonly recordsUnverified: number;
}

/** `partial`: reading or decompressing failed part way; the lines read before were scanned. */
export type FileStatus = 'scanned' | 'partial' | 'skipped';

export interface FileReport extends LineCounts {
  readonly file: string;
  readonly status: FileStatus;
  /** Why the file was skipped or is partial. */
  readonly reason?: string;
  /** Format of the bytes on disk; absent when the file could not be read. */
  readonly format?: InputFormat;
  readonly detections: number;
  /** Bytes read from the file (compressed bytes for gzip). */
  readonly bytesRead: number;
  /** Bytes after decompression (= bytesRead for plain text). */
  readonly bytesDecompressed: number;
  /** Present for EVTX inputs (plain or gzip-compressed). */
  readonly evtx?: EvtxCounts;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface RuleCount {
  readonly rule: RuleInfo;
  readonly count: number;
}

export interface ScanSummary {
  /** False when an error issue was reported (exit status 2). */
  readonly ok: boolean;
  readonly rules: readonly RuleInfo[];
  readonly files: {
    readonly scanned: number;
    readonly partial: number;
    readonly skipped: readonly SkippedFile[];
  };
  readonly fileReports: readonly FileReport[];
  readonly lines: LineCounts;
  /** The first MAX_UNPARSED_SAMPLES unparsed lines. */
  readonly unparsedSamples: readonly UnparsedLine[];
  readonly bytes: { readonly read: number; readonly decompressed: number };
  readonly detections: number;
  /** Totals over the EVTX inputs; present when there was at least one. */
  readonly evtx?: EvtxCounts & { readonly files: number };
  /** Per rule, in rule order, zeros included. */
  readonly detectionsPerRule: readonly RuleCount[];
  /** The first MAX_SUMMARY_ISSUES issues, in input order. */
  readonly issues: readonly ScanIssue[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly elapsedMs: number;
}

export interface ScanStart {
  readonly rules: readonly RuleInfo[];
  /** Inputs to read (stdin counts as one). */
  readonly files: number;
  /** Sum of the input sizes on disk, when known (not with stdin). */
  readonly totalBytes?: number;
}

export interface ScanProgress {
  readonly bytesRead: number;
  readonly totalBytes?: number;
  readonly bytesDecompressed: number;
  readonly filesDone: number;
  readonly files: number;
  readonly elapsedMs: number;
  readonly file?: string;
}

/**
 * Receives the scan's results, in input order. A method may return a promise (a stream waiting for
 * `drain`): the scan waits for it, which is how slow output applies backpressure to reading.
 */
export interface ScanSink {
  start?(info: ScanStart): void | Promise<void>;
  detections?(batch: readonly Detection[]): void | Promise<void>;
  unparsed?(batch: readonly UnparsedLine[]): void | Promise<void>;
  issue?(issue: ScanIssue): void | Promise<void>;
  fileEnd?(report: FileReport): void | Promise<void>;
  progress?(progress: ScanProgress): void;
  end?(summary: ScanSummary): void | Promise<void>;
}
