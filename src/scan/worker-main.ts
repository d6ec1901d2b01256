/**
 * Entry point of a scan worker: loads the matcher module as soon as it starts, builds the ChunkMatcher
 * once from the plan that comes as its first message, then answers each chunk or range it is sent
 * (chunk-requests.ts: a range of a plain file is read here, EVTX blocks are decoded to JSON lines, and a
 * chunk's buffer is transferred back for reuse). A matcher that throws, or bytes that
 * cannot be read, are reported to the main thread as a message; the worker itself never decides to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkRequestHandler, unclonable } from './chunk-requests';
import { buildMatcher, loadMatcherFactory } from './match-chunk';
import type { ChunkRequest, PlanRequest, RangeRequest, WorkerInit, WorkerReply } from './worker-messages';

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-main must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  // Loaded before the plan arrives: the main thread is still planning the rules meanwhile.
  const loaded = loadMatcherFactory(init.matcherModule);
  let handler: ChunkRequestHandler | undefined;
  const onMessage = (req: PlanRequest | ChunkRequest | RangeRequest): void => {
    if (req.kind === 'plan') {
      const built = buildMatcher(loaded, req.plan);
      if (built.kind === 'init-failed') {
        post(built);
        // Nothing more to do: without a listener the worker ends.
        port.off('message', onMessage);
        return;
      }
      handler = new ChunkRequestHandler(built.matcher);
      post({ kind: 'ready', rules: built.rules });
      return;
    }
    if (!handler) {
      post({ kind: 'chunk-failed', id: req.id, message: 'chunk received before the plan' });
      return;
    }
    const { reply, transfer } = handler.handle(req);
    try {
      post(reply, transfer);
    } catch (e) {
      post(unclonable(req, e));
    }
  };
  port.on('message', onMessage);
}

main();
