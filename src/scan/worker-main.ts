/**
 * Entry point of a scan worker: loads the matcher module as soon as it starts, builds the ChunkMatcher
 * once from the plan that comes as its first message, then matches each chunk it is sent and transfers
 * the chunk's buffer back for reuse. EVTX chunk blocks are decoded here first, each record becoming one compact JSON line (evtx_dump's shape), so the
 * matcher sees exactly what it would see in a JSON-lines file. A matcher that throws is reported to the
 * main thread as a message; the worker itself never decides to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkMatcher, ChunkMatcherFactory, ChunkResult } from '../engine/chunk-contract';
import type { ChunkRequest, EvtxChunkInfo, PlanRequest, WorkerInit, WorkerReply } from './worker-messages';

const EMPTY_RESULT: ChunkResult = { lineCount: 0, emptyLines: 0, evaluated: 0, unparsed: [], detections: [] };

let evtxBlocksModule: typeof import('./evtx-blocks') | undefined;
/** Loaded on the first EVTX request: most scans have none, and the decoder is a fifth of a worker's modules. */
function evtxBlocks(): typeof import('./evtx-blocks') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (evtxBlocksModule ??= require('./evtx-blocks') as typeof import('./evtx-blocks'));
}

/** Decodes EVTX blocks, matches their records as JSON lines, and says where each line came from. */
function matchEvtx(matcher: ChunkMatcher, bytes: Uint8Array, fileOffset: number, firstChunk: number): { result: ChunkResult; evtx: EvtxChunkInfo } {
  const { decodeEvtxBlocks, eventRecordId } = evtxBlocks();
  const decoded = decodeEvtxBlocks(bytes, fileOffset, firstChunk);
  const recordNumbers: number[] = [];
  const recordOffsets: number[] = [];
  const unverified: number[] = [];
  let text = '';
  decoded.records.forEach((r, i) => {
    text += `${JSON.stringify(r.event)}\n`;
    recordNumbers.push(eventRecordId(r.event) ?? r.recordNumber);
    recordOffsets.push(r.offset);
    if (!r.verified) unverified.push(i);
  });
  const result = text === '' ? EMPTY_RESULT : matcher.matchChunk(Buffer.from(text, 'utf8'));
  return { result, evtx: { recordNumbers, recordOffsets, unverified, problems: decoded.problems, chunks: decoded.chunks } };
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Loads the matcher module; a failure is kept and reported when the plan arrives, as a build failure would be. */
function loadFactory(matcherModule: string): { factory: ChunkMatcherFactory } | { error: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(matcherModule) as { createChunkMatcher?: ChunkMatcherFactory };
    if (typeof mod.createChunkMatcher !== 'function') throw new Error(`${matcherModule} does not export a function createChunkMatcher`);
    return { factory: mod.createChunkMatcher };
  } catch (e) {
    return { error: describe(e) };
  }
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-main must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  // Loaded before the plan arrives: the main thread is still planning the rules meanwhile.
  const loaded = loadFactory(init.matcherModule);
  let matcher: ChunkMatcher | undefined;
  const onMessage = (req: PlanRequest | ChunkRequest): void => {
    if (req.kind === 'plan') {
      try {
        if ('error' in loaded) throw loaded.error;
        matcher = loaded.factory(req.plan);
      } catch (e) {
        post({ kind: 'init-failed', message: describe(e) });
        // Nothing more to do: without a listener the worker ends.
        port.off('message', onMessage);
        return;
      }
      post({ kind: 'ready', rules: matcher.rules.map((r) => ({ ...r, tags: [...r.tags] })) });
      return;
    }
    if (!matcher) {
      post({ kind: 'chunk-failed', id: req.id, message: 'chunk received before the plan' });
      return;
    }
    try {
      const bytes = new Uint8Array(req.buffer, 0, req.length);
      if (req.content.kind === 'evtx') {
        const { result, evtx } = matchEvtx(matcher, bytes, req.content.fileOffset, req.content.firstChunk);
        post({ kind: 'result', id: req.id, result, buffer: req.buffer, evtx }, [req.buffer]);
      } else {
        post({ kind: 'result', id: req.id, result: matcher.matchChunk(bytes), buffer: req.buffer }, [req.buffer]);
      }
    } catch (e) {
      post({ kind: 'chunk-failed', id: req.id, message: describe(e) });
    }
  };
  port.on('message', onMessage);
}

main();
