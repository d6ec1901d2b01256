/**
 * How many workers a scan can keep busy: a plain file smaller than one chunk is one chunk, and a second
 * worker would only cost its startup (~70 ms of CPU, taken from the main thread on a small machine).
 * Looks only at what is cheap to know before the scan: the size and first bytes of files named directly.
 * Directories, globs, stdin, gzip and EVTX files (whose decoded size is unknown) count as "as many as allowed".
 * Only sizes the worker pool; the scan's output never depends on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from './detect-format';
import { DEFAULT_CHUNK_BYTES } from './limits';
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
  const cwd = options.cwd ?? process.cwd();
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (inputs.length === 0) return maxThreads;
  let chunks = 0;
  for (const input of inputs) {
    const more = chunksOf(path.resolve(cwd, input), input, chunkBytes);
    if (more === undefined) return maxThreads;
    chunks += more;
    // Stops early: a long list of large files needs no more stat calls.
    if (chunks >= maxThreads) return maxThreads;
  }
  return Math.max(1, chunks);
}

/** Chunks of one input (lines longer than a chunk can add a few), or undefined when not cheap to know. */
function chunksOf(file: string, input: string, chunkBytes: number): number | undefined {
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
  if (format === 'gzip' || format === 'evtx') return undefined;
  return Math.ceil(stat.size / chunkBytes);
}
