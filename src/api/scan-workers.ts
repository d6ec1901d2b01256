/**
 * Scanner workers started before the plan exists: a caller spawns them first, then reads and plans its rules
 * while the workers boot and load the engine, and hands them to scanWithPlan. Loads neither the compiler nor
 * the engine in this thread, so it can run before either.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { usefulWorkers } from '../scan/worker-count';
import { spawnWorkers, type PendingWorkers } from '../scan/worker-pool';

/** The module each scanner worker loads: the engine, never the compiler. */
export const ENGINE_WORKER_MODULE = path.join(__dirname, '..', 'engine', 'worker-entry.js');

export interface ScanWorkerOptions {
  /** Exactly this many workers; default one per core, fewer for inputs too small to keep them busy. */
  readonly threads?: number;
  /** What the scan will read (as given to scanWithPlan); sizes the default pool. */
  readonly inputs?: readonly string[];
  /** Directory relative inputs are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

/** Spawns the scan's workers now; pass them to scanWithPlan (same inputs), or cancel them. */
export function spawnScanWorkers(options: ScanWorkerOptions = {}): PendingWorkers {
  const cores = os.availableParallelism();
  const threads = options.threads ?? (options.inputs ? usefulWorkers(options.inputs, cores, options.cwd !== undefined ? { cwd: options.cwd } : {}) : cores);
  return spawnWorkers(threads, ENGINE_WORKER_MODULE);
}
