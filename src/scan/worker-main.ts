/**
 * Entry point of a scan worker: loads the matcher module, builds the ChunkMatcher once from the plan,
 * then matches each chunk it is sent and transfers the chunk's buffer back for reuse. A matcher that
 * throws is reported to the main thread as a message; the worker itself never decides to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkMatcher, ChunkMatcherFactory } from '../engine/chunk-contract';
import type { ChunkRequest, WorkerInit, WorkerReply } from './worker-messages';

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-main must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  let matcher: ChunkMatcher;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(init.matcherModule) as { createChunkMatcher?: ChunkMatcherFactory };
    if (typeof mod.createChunkMatcher !== 'function') {
      throw new Error(`${init.matcherModule} does not export a function createChunkMatcher`);
    }
    matcher = mod.createChunkMatcher(init.plan);
  } catch (e) {
    post({ kind: 'init-failed', message: describe(e) });
    return;
  }
  port.on('message', (req: ChunkRequest) => {
    try {
      const result = matcher.matchChunk(new Uint8Array(req.buffer, 0, req.length));
      post({ kind: 'result', id: req.id, result, buffer: req.buffer }, [req.buffer]);
    } catch (e) {
      post({ kind: 'chunk-failed', id: req.id, message: describe(e) });
    }
  });
  post({ kind: 'ready', rules: matcher.rules.map((r) => ({ ...r, tags: [...r.tags] })) });
}

main();
