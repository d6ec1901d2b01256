/** Named limits of the scanner. Each one bounds memory or output whatever the size of the input. */

/** Default chunk size handed to a worker; measured on the real-windows shard (see the scan report). */
export const DEFAULT_CHUNK_BYTES = 1 << 20;
/** Smallest chunk size accepted (tests use small chunks to force many of them). */
export const MIN_CHUNK_BYTES = 16;
/** A line longer than this many bytes (without its newline) is reported and skipped. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/**
 * With a core to itself, the main thread reads plain files for at most this many workers: its page-cache reads
 * (~4.5 GB/s measured) then overlap the matching for free, and one worker matches a cheap rule set at ~1.5 GB/s.
 * Beyond, or when the workers take every core, each worker reads its own ranges (see workersReadFiles).
 */
export const MAIN_THREAD_READS_MAX_WORKERS = 2;
/** Chunks read but not yet emitted, per worker thread: bounds memory and the re-ordering window. */
export const CHUNKS_IN_FLIGHT_PER_THREAD = 3;
/**
 * The same bound when workers read plain files themselves: a queued range holds no bytes in the main thread,
 * and a deep queue keeps each worker busy while the main thread waits for a core or for the chunk at the head
 * of the input order (measured on one rule over 241 MB, 2 cores: idle gaps per worker 45 ms at 3, 15 ms at 16;
 * scan 159 ms at 3, 145 ms at 16).
 */
export const RANGES_IN_FLIGHT_PER_THREAD = 16;
/** Bytes looked at to recognise a format (gzip/EVTX magic, NUL bytes of a binary file). */
export const SNIFF_BYTES = 8192;
/** Read size of the file streams and output size of gunzip. */
export const READ_BYTES = 1 << 20;
export const GUNZIP_CHUNK_BYTES = 256 * 1024;
/** Unparsed lines kept as `file:line: reason` examples in the summary (all are counted). */
export const MAX_UNPARSED_SAMPLES = 10;
/** Issues kept in the summary (all are counted and all reach the sinks). */
export const MAX_SUMMARY_ISSUES = 1000;
/** Progress updates are sent to the sinks at most this often. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 200;
