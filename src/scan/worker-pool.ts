/**
 * A fixed pool of worker threads, each holding one ChunkMatcher built from the plan. Chunks go to the
 * least-loaded worker and their buffers are transferred, not copied. A worker that crashes or exits
 * fails its pending chunks and breaks the pool, so the scan ends with an error instead of hanging.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkResult, RuleInfo } from '../engine/chunk-contract';
import type { ChunkContent, ChunkRequest, EvtxChunkInfo, WorkerInit, WorkerReply } from './worker-messages';

export type ChunkOutcome =
  | { readonly kind: 'ok'; readonly result: ChunkResult; readonly buffer: ArrayBuffer; readonly evtx?: EvtxChunkInfo }
  | { readonly kind: 'failed'; readonly message: string };

interface Pending {
  readonly resolve: (outcome: ChunkOutcome) => void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  exited: boolean;
}

export type PoolStart =
  | { readonly kind: 'ok'; readonly pool: WorkerPool; readonly rules: readonly RuleInfo[] }
  | { readonly kind: 'failed'; readonly message: string };

const WORKER_MAIN = path.join(__dirname, 'worker-main.js');

export class WorkerPool {
  private nextId = 0;
  private broken: string | undefined;
  private closing = false;

  private constructor(private readonly workers: readonly PoolWorker[]) {
    for (const w of workers) this.watch(w);
  }

  /** Starts `threads` workers and waits until each has built its matcher. */
  static async start(threads: number, init: WorkerInit): Promise<PoolStart> {
    const workers = Array.from({ length: threads }, () => new Worker(WORKER_MAIN, { workerData: init }));
    const replies = await Promise.all(workers.map((w) => firstReply(w)));
    const failed = replies.find((r) => r.kind !== 'ready');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      return { kind: 'failed', message: failed.kind === 'init-failed' ? failed.message : 'worker exited' };
    }
    const first = replies[0];
    const rules = first && first.kind === 'ready' ? first.rules : [];
    const pool = new WorkerPool(workers.map((worker) => ({ worker, pending: new Map(), exited: false })));
    return { kind: 'ok', pool, rules };
  }

  /** Sends `length` bytes of `buffer` (which is transferred) to a worker. Never rejects. */
  submit(buffer: ArrayBuffer, length: number, content: ChunkContent = { kind: 'lines' }): Promise<ChunkOutcome> {
    if (this.broken !== undefined) return Promise.resolve({ kind: 'failed', message: this.broken });
    let target: PoolWorker | undefined;
    for (const w of this.workers) {
      if (w.exited) continue;
      if (!target || w.pending.size < target.pending.size) target = w;
    }
    if (!target) return Promise.resolve({ kind: 'failed', message: 'no worker left' });
    const id = this.nextId++;
    const chosen = target;
    return new Promise<ChunkOutcome>((resolve) => {
      chosen.pending.set(id, { resolve });
      const req: ChunkRequest = { kind: 'chunk', id, buffer, length, content };
      chosen.worker.postMessage(req, [buffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private watch(w: PoolWorker): void {
    w.worker.on('message', (reply: WorkerReply) => {
      if (reply.kind !== 'result' && reply.kind !== 'chunk-failed') return;
      const p = w.pending.get(reply.id);
      if (!p) return;
      w.pending.delete(reply.id);
      p.resolve(
        reply.kind === 'result'
          ? { kind: 'ok', result: reply.result, buffer: reply.buffer, ...(reply.evtx ? { evtx: reply.evtx } : {}) }
          : { kind: 'failed', message: reply.message },
      );
    });
    const fail = (message: string): void => {
      w.exited = true;
      if (this.closing) return;
      this.broken ??= message;
      for (const p of w.pending.values()) p.resolve({ kind: 'failed', message });
      w.pending.clear();
    };
    w.worker.on('error', (e) => fail(`worker crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    w.worker.on('exit', (code) => fail(`worker exited with code ${code}`));
  }
}

function firstReply(worker: Worker): Promise<WorkerReply | { kind: 'exited' }> {
  return new Promise((resolve) => {
    const onMessage = (reply: WorkerReply): void => {
      cleanup();
      resolve(reply);
    };
    const onError = (e: unknown): void => {
      cleanup();
      resolve({ kind: 'init-failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    };
    const onExit = (): void => {
      cleanup();
      resolve({ kind: 'exited' });
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
