/**
 * A member of the worker pool that matches in the scanning thread itself, taking ranges of plain files as a
 * worker does. For a scan with few rules over large files on two cores: the scanning thread is mostly idle
 * (it only cuts ranges and collects results) while a second worker would spend ~30 ms of CPU booting
 * beside the first; matching here from the start, with one worker fewer, uses that time. One request runs
 * per turn of the event loop, so dispatching and results are never held up by more than a range's work.
 * Replies are structured-cloned, as a worker's messages are, so the scan sees the same data either way.
 */
import type { RuleInfo } from '../engine/chunk-contract';
import { ChunkRequestHandler, unclonable } from './chunk-requests';
import { buildMatcher, loadMatcherFactory } from './match-chunk';
import type { RangeRequest, WorkerReply } from './worker-messages';

export class InThreadMember {
  private readonly queue: RangeRequest[] = [];
  private scheduled = false;
  private stopped = false;

  private constructor(
    private readonly handler: ChunkRequestHandler,
    private readonly onReply: (reply: WorkerReply) => void,
  ) {}

  /** Builds the matcher here from (a copy of) `plan`; replies go to `onReply`, each in its own turn. */
  static build(
    matcherModule: string,
    plan: unknown,
    onReply: (reply: WorkerReply) => void,
  ): { readonly kind: 'ready'; readonly member: InThreadMember; readonly rules: readonly RuleInfo[] } | { readonly kind: 'init-failed'; readonly message: string } {
    const built = buildMatcher(loadMatcherFactory(matcherModule), structuredClone(plan));
    if (built.kind === 'init-failed') return built;
    return { kind: 'ready', member: new InThreadMember(new ChunkRequestHandler(built.matcher), onReply), rules: structuredClone(built.rules) };
  }

  send(req: RangeRequest): void {
    if (this.stopped) return;
    this.queue.push(req);
    this.schedule();
  }

  /** Drops what is queued; nothing runs after. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.runOne());
  }

  private runOne(): void {
    this.scheduled = false;
    const req = this.queue.shift();
    if (req === undefined || this.stopped) return;
    if (this.queue.length > 0) this.schedule();
    let copy: WorkerReply;
    try {
      copy = structuredClone(this.handler.handle(req).reply);
    } catch (e) {
      // An unclonable result, or anything else thrown: the chunk fails, as it would on a worker.
      copy = unclonable(req, e);
    }
    this.onReply(copy);
  }
}
