/**
 * What a scan does with one chunk once it has a ChunkMatcher, wherever it runs (a worker, or the main thread
 * for a one-chunk input): load the matcher module, build the matcher, match a chunk of lines or decode a
 * group of EVTX blocks into JSON lines first. Errors become messages, never exceptions.
 */
import type { ChunkMatcher, ChunkMatcherFactory, ChunkResult, RuleInfo } from '../engine/chunk-contract';
import type { ChunkContent, EvtxChunkInfo } from './worker-messages';

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

export function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Loads the matcher module; a failure is kept, to be reported as the matcher's build failure. */
export function loadMatcherFactory(matcherModule: string): { factory: ChunkMatcherFactory } | { error: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(matcherModule) as { createChunkMatcher?: ChunkMatcherFactory };
    if (typeof mod.createChunkMatcher !== 'function') throw new Error(`${matcherModule} does not export a function createChunkMatcher`);
    return { factory: mod.createChunkMatcher };
  } catch (e) {
    return { error: describeError(e) };
  }
}

/** Builds the matcher from the plan (or says why not) and the rule list the main thread reports with. */
export function buildMatcher(
  loaded: ReturnType<typeof loadMatcherFactory>,
  plan: unknown,
): { kind: 'ready'; matcher: ChunkMatcher; rules: RuleInfo[] } | { kind: 'init-failed'; message: string } {
  try {
    if ('error' in loaded) return { kind: 'init-failed', message: loaded.error };
    const matcher = loaded.factory(plan);
    return { kind: 'ready', matcher, rules: matcher.rules.map((r) => ({ ...r, tags: [...r.tags] })) };
  } catch (e) {
    return { kind: 'init-failed', message: describeError(e) };
  }
}

/** Matches one chunk: its lines, or its EVTX blocks decoded to JSON lines. */
export function matchChunk(
  matcher: ChunkMatcher,
  bytes: Uint8Array,
  content: ChunkContent,
): { kind: 'ok'; result: ChunkResult; evtx?: EvtxChunkInfo } | { kind: 'failed'; message: string } {
  try {
    if (content.kind === 'evtx') return { kind: 'ok', ...matchEvtx(matcher, bytes, content.fileOffset, content.firstChunk) };
    return { kind: 'ok', result: matcher.matchChunk(bytes) };
  } catch (e) {
    return { kind: 'failed', message: describeError(e) };
  }
}
