/**
 * A fixed pool of worker threads, each holding one ChunkMatcher built from the plan. Chunks go to the
 * least-loaded worker and their buffers are transferred, not copied; a plain file's chunks may go as byte
 * ranges that the worker reads itself. Workers can be spawned before the plan exists (`spawnWorkers`): a
 * worker's startup (an isolate, the matcher's modules, ~70 ms) then overlaps the caller's rule planning,
 * and the plan follows as the first message. The pool starts with the first worker that has built its
 * matcher and the others join as they do: on two cores the last worker to boot was measured ready ~20 ms
 * after the first, which sat idle meanwhile. One member may be the calling thread itself, matching ranges of
 * plain files in place of a worker (in-thread-member.ts). A worker that crashes, exits or fails to build its
 * matcher fails its pending chunks and breaks the pool, so the scan ends with an error instead of hanging.
 */
import { Worker } from 'node:worker_threads';
import type { ChunkResult, RuleInfo } from '../engine/chunk-contract';
import type { ChunkContent, ChunkRequest, EvtxChunkInfo, PlanRequest, RangeRequest, WorkerInit, WorkerReply } from './worker-messages';
import { InThreadMember } from './in-thread-member';
import { entryPointFile } from '../util/code-location';

export type ChunkOutcome =
  /** `buffer`: the submitted buffer back, for reuse; none for a range. */
  | { readonly kind: 'ok'; readonly result: ChunkResult; readonly buffer?: ArrayBuffer; readonly evtx?: EvtxChunkInfo }
  /** The matcher failed (or its worker died): the scan cannot go on. */
  | { readonly kind: 'failed'; readonly message: string }
  /** A range's bytes could not be read: only its file is cut short. */
  | { readonly kind: 'read-failed'; readonly message: string };

interface Pending {
  readonly resolve: (outcome: ChunkOutcome) => void;
}

/** A worker thread of the pool, or the calling thread (which takes only ranges). */
interface PoolWorker {
  readonly worker: Worker | InThreadMember;
  readonly pending: Map<number, Pending>;
  /** Has built its matcher: chunks go to ready workers while there are any. */
  ready: boolean;
  exited: boolean;
}

type StartReply = WorkerReply | { readonly kind: 'exited' };

/** What a scan needs from its matchers: worker threads, or the main thread for an input of one chunk. */
export interface ChunkPool {
  /** Matches `length` bytes of `buffer` (which may be transferred). Never rejects. */
  submit(buffer: ArrayBuffer, length: number, content?: ChunkContent): Promise<ChunkOutcome>;
  /**
   * Matches the whole lines at `offset` of the open file `fd`, read by the matching thread itself; only
   * pools whose threads are not the caller's offer it. `fd` must stay open until the outcome settles.
   */
  submitRange?(fd: number, offset: number, length: number): Promise<ChunkOutcome>;
  close(): Promise<void>;
}

export type PoolStart =
  | { readonly kind: 'ok'; readonly pool: ChunkPool; readonly rules: readonly RuleInfo[] }
  | { readonly kind: 'failed'; readonly message: string };

const WORKER_MAIN = entryPointFile('scan-worker');

export class WorkerPool implements ChunkPool {
  private nextId = 0;
  private broken: string | undefined;
  private closing = false;

  private constructor(private readonly workers: readonly PoolWorker[]) {
    for (const w of workers) if (w.worker instanceof Worker) this.watch(w, w.worker);
  }

  /**
   * @internal Used by PendingWorkers once the plan is sent: each worker becomes ready, or breaks the pool,
   * when its first reply comes. An in-thread member (`inThread`, its replies passed to `settleInThread`)
   * is ready from the start.
   */
  static fromStartingWorkers(workers: readonly Worker[], replies: readonly Promise<StartReply>[], inThread?: InThreadMember): WorkerPool {
    const members: PoolWorker[] = workers.map((worker) => ({ worker, pending: new Map(), ready: false, exited: false }));
    if (inThread) members.push({ worker: inThread, pending: new Map(), ready: true, exited: false });
    const pool = new WorkerPool(members);
    workers.forEach((_, i) => {
      const w = pool.workers[i]!;
      void replies[i]!.then((reply) => {
        if (reply.kind === 'ready') w.ready = true;
        else pool.fail(w, reply.kind === 'init-failed' ? `the matcher could not be built: ${reply.message}` : 'worker exited');
      });
    });
    return pool;
  }

  /** Sends `length` bytes of `buffer` (which is transferred) to a worker. Never rejects. */
  submit(buffer: ArrayBuffer, length: number, content: ChunkContent = { kind: 'lines' }): Promise<ChunkOutcome> {
    // Buffered chunks (gzip, streams) stay off the calling thread, which is busy producing them.
    return this.dispatch((id): [ChunkRequest, ArrayBuffer[]] => [{ kind: 'chunk', id, buffer, length, content }, [buffer]], false);
  }

  /** Sends a range of an open file to a worker, which reads and matches it. Never rejects. */
  submitRange(fd: number, offset: number, length: number): Promise<ChunkOutcome> {
    return this.dispatch((id): [RangeRequest, ArrayBuffer[]] => [{ kind: 'range', id, fd, offset, length }, []], true);
  }

  /** Posts the request made for a new id to the least-loaded worker (or the in-thread member, for a range). */
  private dispatch(request: (id: number) => [ChunkRequest | RangeRequest, ArrayBuffer[]], isRange: boolean): Promise<ChunkOutcome> {
    if (this.broken !== undefined) return Promise.resolve({ kind: 'failed', message: this.broken });
    // The least loaded of the ready workers, else of those still building their matchers (a request waits
    // in a worker's queue behind its plan).
    let target: PoolWorker | undefined;
    for (const w of this.workers) {
      if (w.exited || (!isRange && !(w.worker instanceof Worker))) continue;
      if (!target || (w.ready && !target.ready) || (w.ready === target.ready && w.pending.size < target.pending.size)) target = w;
    }
    if (!target) return Promise.resolve({ kind: 'failed', message: 'no worker left' });
    const id = this.nextId++;
    const chosen = target;
    return new Promise<ChunkOutcome>((resolve) => {
      chosen.pending.set(id, { resolve });
      const [req, transfer] = request(id);
      if (chosen.worker instanceof Worker) chosen.worker.postMessage(req, transfer);
      else chosen.worker.send(req as RangeRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => (w.worker instanceof Worker ? w.worker.terminate() : w.worker.stop())));
  }

  /** @internal A reply of the in-thread member. */
  settleInThread(reply: WorkerReply): void {
    const w = this.workers.find((m) => !(m.worker instanceof Worker));
    if (w) this.settle(w, reply);
  }

  private watch(w: PoolWorker, worker: Worker): void {
    worker.on('message', (reply: WorkerReply) => this.settle(w, reply));
    worker.on('error', (e) => this.fail(w, `worker crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    worker.on('exit', (code) => this.fail(w, `worker exited with code ${code}`));
  }

  private settle(w: PoolWorker, reply: WorkerReply): void {
    if (reply.kind !== 'result' && reply.kind !== 'chunk-failed' && reply.kind !== 'read-failed') return;
    const p = w.pending.get(reply.id);
    if (!p) return;
    w.pending.delete(reply.id);
    p.resolve(
      reply.kind === 'result'
        ? { kind: 'ok', result: reply.result, ...(reply.buffer ? { buffer: reply.buffer } : {}), ...(reply.evtx ? { evtx: reply.evtx } : {}) }
        : { kind: reply.kind === 'read-failed' ? 'read-failed' : 'failed', message: reply.message },
    );
  }

  private fail(w: PoolWorker, message: string): void {
    w.exited = true;
    if (this.closing) return;
    this.broken ??= message;
    for (const p of w.pending.values()) p.resolve({ kind: 'failed', message });
    w.pending.clear();
  }
}

/**
 * Workers that are starting (loading the matcher module) and wait for their plan. Until `start` they do not
 * keep the process alive, so a caller that fails before it has a plan cannot hang on them.
 */
export class PendingWorkers {
  private used = false;
  private readonly replies: Promise<StartReply>[];

  /** @internal Made by spawnWorkers. */
  constructor(
    readonly threads: number,
    readonly matcherModule: string,
    private readonly workers: readonly Worker[],
    /** Whether the calling thread is one of the `threads`, matching ranges beside the workers. */
    readonly inThread: boolean = false,
  ) {
    // Listening from the spawn on, so an early crash is not missed.
    this.replies = workers.map((w) => firstReply(w));
    // After the listeners: adding a 'message' listener refs a worker again.
    for (const w of workers) w.unref();
  }

  /**
   * Sends each worker the plan; resolves as soon as one has built its matcher (the others join the pool when
   * they have), or fails when none could. Once only.
   */
  async start(plan: unknown): Promise<PoolStart> {
    this.take();
    let pool: WorkerPool | undefined;
    const inThread = this.inThread ? InThreadMember.build(this.matcherModule, plan, (reply) => pool?.settleInThread(reply)) : undefined;
    if (inThread?.kind === 'init-failed') {
      await Promise.all(this.workers.map((w) => w.terminate()));
      return { kind: 'failed', message: inThread.message };
    }
    const request: PlanRequest = { kind: 'plan', plan };
    for (const w of this.workers) {
      w.ref();
      w.postMessage(request);
    }
    pool = WorkerPool.fromStartingWorkers(this.workers, this.replies, inThread?.member);
    // The in-thread member is ready now; the workers join as they get ready.
    if (inThread) return { kind: 'ok', pool, rules: inThread.rules };
    const first = await firstReady(this.replies);
    if (first.kind !== 'ready') {
      await Promise.all(this.workers.map((w) => w.terminate()));
      return { kind: 'failed', message: first.kind === 'init-failed' ? first.message : 'worker exited' };
    }
    return { kind: 'ok', pool, rules: first.rules };
  }

  /** Stops the workers without using them (the caller has nothing to scan after all). */
  async cancel(): Promise<void> {
    if (this.used) return;
    this.take();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private take(): void {
    if (this.used) throw new Error('these workers were already started or cancelled');
    this.used = true;
  }
}

/**
 * Spawns `threads` workers that load `matcherModule` now and build their matchers when `start(plan)` is
 * called; with `inThread` (and at least two threads), one of the threads is the calling one.
 */
export function spawnWorkers(threads: number, matcherModule: string, inThread = false): PendingWorkers {
  const init: WorkerInit = { matcherModule };
  const here = inThread && threads >= 2;
  const workers = Array.from({ length: here ? threads - 1 : threads }, () => {
    return new Worker(WORKER_MAIN, { workerData: init });
  });
  return new PendingWorkers(threads, matcherModule, workers, here);
}

/** The first `ready` reply, or when no worker gets ready, the first reply in worker order. */
function firstReady(replies: readonly Promise<StartReply>[]): Promise<StartReply> {
  if (replies.length === 0) return Promise.resolve({ kind: 'exited' });
  return new Promise((resolve) => {
    let left = replies.length;
    for (const reply of replies) {
      void reply.then((r) => {
        if (r.kind === 'ready') resolve(r);
        else if (--left === 0) void replies[0]!.then(resolve);
      });
    }
  });
}

function firstReply(worker: Worker): Promise<StartReply> {
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
