/**
 * How many workers a scan can keep busy, from what is cheap to know before it starts: the size and first
 * bytes of files named directly. A plain file smaller than one chunk is one chunk, and a second worker would
 * only cost its startup (~50 ms of CPU, taken from the main thread on a small machine); an input of one chunk
 * in all is best matched in the main thread. Directories, globs, stdin, gzip and EVTX files (whose decoded
 * size is unknown) count as large. Only decides where matching runs; the scan's output never depends on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from './detect-format';
import { DEFAULT_CHUNK_BYTES, MAIN_THREAD_READS_MAX_WORKERS } from './limits';
import { STDIN_NAME } from './expand-inputs';
import { hasGlobMeta } from './glob';

/** Enough to tell gzip and EVTX by their magic. */
const MAGIC_BYTES = 8;

export interface WorkerCountOptions {
  /** Directory relative inputs are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  readonly chunkBytes?: number;
}

/** Between 1 and `maxThreads`: about how many chunks `inputs` make, when that is cheap to know. */
export function usefulWorkers(inputs: readonly string[], maxThreads: number, options: WorkerCountOptions = {}): number {
  const size = measure(inputs, options, (s) => s.chunks >= maxThreads);
  return size === undefined ? maxThreads : Math.min(maxThreads, Math.max(1, size.chunks));
}

/**
 * Whether `threads` workers should read plain files themselves (in ranges the main thread cuts) rather than
 * be sent chunks the main thread read: yes when they take every one of `cores` (the main thread's reads would
 * take time from them) or when one main thread could not read fast enough for them all.
 */
export function workersReadFiles(threads: number, cores: number): boolean {
  return threads >= cores || threads > MAIN_THREAD_READS_MAX_WORKERS;
}

/** Rule text up to which the calling thread may match beside the workers (PendingWorkers.inThread). */
export const IN_THREAD_MAX_RULE_BYTES = 64 * 1024;

/**
 * Whether rules given as `rulePaths` are few enough for the calling thread to match beside its workers:
 * all files (a directory may hold thousands of rules), at most IN_THREAD_MAX_RULE_BYTES in all. Matching
 * them costs little per range, so the thread's dispatching is hardly delayed, and their matcher is cheap
 * to build here.
 */
export function fewRules(rulePaths: readonly string[], options: { readonly cwd?: string } = {}): boolean {
  const cwd = options.cwd ?? process.cwd();
  let bytes = 0;
  for (const p of rulePaths) {
    const stat = fs.statSync(path.resolve(cwd, p), { throwIfNoEntry: false });
    if (!stat?.isFile()) return false;
    bytes += stat.size;
    if (bytes > IN_THREAD_MAX_RULE_BYTES) return false;
  }
  return rulePaths.length > 0;
}

/** Whether `inputs` are known to be plain files of at most one chunk in all: nothing to spread over workers. */
export function fitsOneChunk(inputs: readonly string[], options: WorkerCountOptions = {}): boolean {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const size = measure(inputs, options, (s) => s.bytes > chunkBytes);
  return size !== undefined && size.bytes <= chunkBytes;
}

interface InputSize {
  /** Chunks, counting each file's last partial one (lines longer than a chunk can add a few). */
  chunks: number;
  bytes: number;
}

/** Sizes the inputs, stopping as soon as `enough` says the answer is known; undefined when not cheap to know. */
function measure(inputs: readonly string[], options: WorkerCountOptions, enough: (s: InputSize) => boolean): InputSize | undefined {
  const cwd = options.cwd ?? process.cwd();
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (inputs.length === 0) return undefined;
  const total: InputSize = { chunks: 0, bytes: 0 };
  for (const input of inputs) {
    const bytes = plainFileBytes(path.resolve(cwd, input), input);
    if (bytes === undefined) return undefined;
    total.chunks += Math.ceil(bytes / chunkBytes);
    total.bytes += bytes;
    // Stops early: a long list of large files needs no more stat calls.
    if (enough(total)) return total;
  }
  return total;
}

/** Bytes of a plain file as the scan will read them, or undefined when not cheap to know. */
function plainFileBytes(file: string, input: string): number | undefined {
  if (input === STDIN_NAME) return undefined;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  // A missing file is reported, not read; a missing path with glob characters is a glob.
  if (!stat) return hasGlobMeta(input) ? undefined : 0;
  if (!stat.isFile()) return undefined;
  if (stat.size === 0) return 0;
  const head = new Uint8Array(Math.min(MAGIC_BYTES, stat.size));
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, head.length, 0);
  } catch {
    return 0; // unreadable: reported, not read
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const format = detectFormat(head);
  return format === 'gzip' || format === 'evtx' ? undefined : stat.size;
}
