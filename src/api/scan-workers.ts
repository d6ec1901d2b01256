/**
 * Where a scan matches, decided before the plan exists: on workers spawned now, which boot and load the
 * engine while the caller reads and plans its rules, or in the calling thread when the input is one chunk
 * in all (a worker's startup would cost more than the matching). Loads neither the compiler nor the engine
 * in this thread, so it can run before either.
 */
import * as os from 'node:os';
import { fewRules, fitsOneChunk, usefulWorkers } from '../scan/worker-count';
import { spawnWorkers, type PendingWorkers } from '../scan/worker-pool';
import { entryPointFile } from '../util/code-location';

/** The module each scanner worker loads: the engine, never the compiler. */
export const ENGINE_WORKER_MODULE = entryPointFile('engine');

export interface ScanWorkerOptions {
  /** Exactly this many workers; default one per core, fewer for inputs too small to keep them busy. */
  readonly threads?: number;
  /** What the scan will read (as given to scanWithPlan); sizes the default pool. */
  readonly inputs?: readonly string[];
  /** Directory relative inputs are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * The rule files or directories to be planned: when they are a few files (worker-count.ts `fewRules`) and
   * `threads` is not given, the calling thread matches ranges of plain files as one of the threads, in
   * place of a worker.
   */
  readonly rules?: readonly string[];
}

/** Spawns the scan's workers now; pass them to scanWithPlan (same inputs), or cancel them. */
export function spawnScanWorkers(options: ScanWorkerOptions = {}): PendingWorkers {
  const cores = os.availableParallelism();
  const threads = options.threads ?? (options.inputs ? usefulWorkers(options.inputs, cores, cwdOption(options)) : cores);
  // An explicit thread count means that many workers.
  const inThread = options.threads === undefined && options.rules !== undefined && fewRules(options.rules, cwdOption(options));
  return spawnWorkers(threads, ENGINE_WORKER_MODULE, inThread);
}

/** Where scanWithPlan will match: hand `workers` or `mainThread: true` to it. */
export type ScanThreads = { readonly kind: 'workers'; readonly workers: PendingWorkers } | { readonly kind: 'main-thread' };

/**
 * The calling thread for inputs known to be one chunk in all (unless `threads` asks for workers), else
 * workers spawned now.
 */
export function prepareScanThreads(options: ScanWorkerOptions = {}): ScanThreads {
  if (options.threads === undefined && options.inputs && fitsOneChunk(options.inputs, cwdOption(options))) return { kind: 'main-thread' };
  return { kind: 'workers', workers: spawnScanWorkers(options) };
}

function cwdOption(options: ScanWorkerOptions): { cwd?: string } {
  return options.cwd !== undefined ? { cwd: options.cwd } : {};
}
