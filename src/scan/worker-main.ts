/**
 * Entry point of a scan worker: loads the matcher module, builds the ChunkMatcher once from the plan,
 * then matches each chunk it is sent and transfers the chunk's buffer back for reuse. EVTX chunk
 * blocks are decoded here first, each record becoming one compact JSON line (evtx_dump's shape), so the
 * matcher sees exactly what it would see in a JSON-lines file. A matcher that throws is reported to the
 * main thread as a message; the worker itself never decides to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkMatcher, ChunkMatcherFactory, ChunkResult } from '../engine/chunk-contract';
import { decodeEvtxBlocks, eventRecordId } from './evtx-blocks';
import type { ChunkRequest, EvtxChunkInfo, WorkerInit, WorkerReply } from './worker-messages';

const EMPTY_RESULT: ChunkResult = { lineCount: 0, emptyLines: 0, evaluated: 0, unparsed: [], detections: [] };

/** Decodes EVTX blocks, matches their records as JSON lines, and says where each line came from. */
function matchEvtx(matcher: ChunkMatcher, bytes: Uint8Array, fileOffset: number, firstChunk: number): { result: ChunkResult; evtx: EvtxChunkInfo } {
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
  });
  post({ kind: 'ready', rules: matcher.rules.map((r) => ({ ...r, tags: [...r.tags] })) });
}

main();
