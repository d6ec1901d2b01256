/**
 * The worker pool's contract run in the calling thread, for an input of about one chunk: there is nothing to
 * spread over workers, and a worker's startup (an isolate and the engine's modules, ~50 ms of CPU) costs more
 * than the matching. Plan, rules and results are structured-cloned exactly as the messages to and from a
 * worker are, so the scan sees the same data, and nothing the matcher might reuse or change later.
 */
import { buildMatcher, describeError, loadMatcherFactory, matchChunk } from './match-chunk';
import type { ChunkOutcome, ChunkPool, PoolStart } from './worker-pool';
import type { ChunkContent } from './worker-messages';

/** Loads the matcher module and builds the matcher here; `failed` as a worker's start would fail. */
export function startInThisThread(matcherModule: string, plan: unknown): PoolStart {
  const built = buildMatcher(loadMatcherFactory(matcherModule), structuredClone(plan));
  if (built.kind === 'init-failed') return { kind: 'failed', message: built.message };
  const matcher = built.matcher;
  const pool: ChunkPool = {
    submit(buffer: ArrayBuffer, length: number, content: ChunkContent = { kind: 'lines' }): Promise<ChunkOutcome> {
      const outcome = matchChunk(matcher, new Uint8Array(buffer, 0, length), content);
      if (outcome.kind === 'failed') return Promise.resolve(outcome);
      try {
        const { result, evtx } = structuredClone({ result: outcome.result, evtx: outcome.evtx });
        return Promise.resolve({ kind: 'ok', result, buffer, ...(evtx ? { evtx } : {}) });
      } catch (e) {
        return Promise.resolve({ kind: 'failed', message: describeError(e) });
      }
    },
    close: () => Promise.resolve(),
  };
  return { kind: 'ok', pool, rules: structuredClone(built.rules) };
}
