/**
 * Scanner workers started before the plan exists: a caller spawns them first, then reads and plans its rules
 * while the workers boot and load the engine, and hands them to scanWithPlan. Loads neither the compiler nor
 * the engine in this thread, so it can run before either.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnWorkers, type PendingWorkers } from '../scan/worker-pool';

/** The module each scanner worker loads: the engine, never the compiler. */
export const ENGINE_WORKER_MODULE = path.join(__dirname, '..', 'engine', 'worker-entry.js');

/** Spawns the scan's workers now (default one per core); pass them to scanWithPlan, or cancel them. */
export function spawnScanWorkers(threads: number = os.availableParallelism()): PendingWorkers {
  return spawnWorkers(threads, ENGINE_WORKER_MODULE);
}
