/**
 * What a matching thread does with one request of the pool (a chunk's bytes, or a range of a plain file it
 * reads itself): the reply it sends back. Shared by the scan worker (worker-main.ts) and the pool member
 * that matches in the scanning thread (in-thread-member.ts), so both answer alike.
 */
import type { ChunkMatcher } from '../engine/chunk-contract';
import { describeError, matchChunk } from './match-chunk';
import { RangeReader } from './read-range';
import type { ChunkRequest, RangeRequest, WorkerReply } from './worker-messages';

export class ChunkRequestHandler {
  private readonly ranges = new RangeReader();

  constructor(private readonly matcher: ChunkMatcher) {}

  /** The reply to `req`, and what it transfers (a chunk request's buffer, back for reuse). */
  handle(req: ChunkRequest | RangeRequest): { readonly reply: WorkerReply; readonly transfer: ArrayBuffer[] } {
    let bytes: Uint8Array;
    if (req.kind === 'range') {
      const read = this.ranges.read(req.fd, req.offset, req.length);
      if (read.kind === 'failed') return { reply: { kind: 'read-failed', id: req.id, message: read.message }, transfer: [] };
      bytes = read.bytes;
    } else {
      bytes = new Uint8Array(req.buffer, 0, req.length);
    }
    const outcome = matchChunk(this.matcher, bytes, req.kind === 'range' ? { kind: 'lines' } : req.content);
    if (outcome.kind === 'failed') return { reply: { kind: 'chunk-failed', id: req.id, message: outcome.message }, transfer: [] };
    const evtx = outcome.evtx ? { evtx: outcome.evtx } : {};
    if (req.kind === 'range') return { reply: { kind: 'result', id: req.id, result: outcome.result, ...evtx }, transfer: [] };
    return { reply: { kind: 'result', id: req.id, result: outcome.result, buffer: req.buffer, ...evtx }, transfer: [req.buffer] };
  }
}

/** A result that cannot be cloned (or another error while answering) fails its chunk, as a matcher that throws does. */
export function unclonable(req: { readonly id: number }, e: unknown): WorkerReply {
  return { kind: 'chunk-failed', id: req.id, message: describeError(e) };
}
