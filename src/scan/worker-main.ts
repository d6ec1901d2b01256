/**
 * Entry point of a scan worker: loads the matcher module as soon as it starts, builds the ChunkMatcher
 * once from the plan that comes as its first message, then matches each chunk it is sent and transfers
 * the chunk's buffer back for reuse (match-chunk.ts does the work; EVTX blocks are decoded to JSON lines
 * first). A range of a plain file is read here first (read-range.ts). A matcher that throws, or bytes that
 * cannot be read, are reported to the main thread as a message; the worker itself never decides to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkMatcher } from '../engine/chunk-contract';
import { buildMatcher, describeError, loadMatcherFactory, matchChunk } from './match-chunk';
import { RangeReader } from './read-range';
import type { ChunkRequest, PlanRequest, RangeRequest, WorkerInit, WorkerReply } from './worker-messages';

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-main must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  // Loaded before the plan arrives: the main thread is still planning the rules meanwhile.
  const loaded = loadMatcherFactory(init.matcherModule);
  const ranges = new RangeReader();
  let matcher: ChunkMatcher | undefined;
  const onMessage = (req: PlanRequest | ChunkRequest | RangeRequest): void => {
    if (req.kind === 'plan') {
      const built = buildMatcher(loaded, req.plan);
      if (built.kind === 'init-failed') {
        post(built);
        // Nothing more to do: without a listener the worker ends.
        port.off('message', onMessage);
        return;
      }
      matcher = built.matcher;
      post({ kind: 'ready', rules: built.rules });
      return;
    }
    if (!matcher) {
      post({ kind: 'chunk-failed', id: req.id, message: 'chunk received before the plan' });
      return;
    }
    let bytes: Uint8Array;
    if (req.kind === 'range') {
      const read = ranges.read(req.fd, req.offset, req.length);
      if (read.kind === 'failed') {
        post({ kind: 'read-failed', id: req.id, message: read.message });
        return;
      }
      bytes = read.bytes;
    } else {
      bytes = new Uint8Array(req.buffer, 0, req.length);
    }
    const outcome = matchChunk(matcher, bytes, req.kind === 'range' ? { kind: 'lines' } : req.content);
    if (outcome.kind === 'failed') {
      post({ kind: 'chunk-failed', id: req.id, message: outcome.message });
      return;
    }
    try {
      const evtx = outcome.evtx ? { evtx: outcome.evtx } : {};
      if (req.kind === 'range') post({ kind: 'result', id: req.id, result: outcome.result, ...evtx });
      else post({ kind: 'result', id: req.id, result: outcome.result, buffer: req.buffer, ...evtx }, [req.buffer]);
    } catch (e) {
      // A result that cannot be cloned fails its chunk, as a matcher that throws does.
      post({ kind: 'chunk-failed', id: req.id, message: describeError(e) });
    }
  };
  port.on('message', onMessage);
}

main();
