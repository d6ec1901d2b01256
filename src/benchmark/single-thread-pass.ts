/**
 * One pass of a matcher plan over files, in this thread: each file is opened like the scanner opens it
 * (gzip by magic, streamed), cut into chunks of whole lines and handed to one rule-set matcher. No
 * worker threads, so the profile measures the engine alone and the figures add up.
 */
import { createRuleSetMatcher, type MatcherProfile } from '../engine/rule-set-matcher';
import type { PrefilterEngineChoice } from '../engine/line-prefilter';
import type { MatcherPlan } from '../plan/types';
import { LineFramer } from '../scan/line-framer';
import { openSource } from '../scan/open-source';
import { detectFormat } from '../scan/detect-format';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES } from '../scan/limits';

export interface PassOptions {
  readonly profile: boolean;
  readonly prefilterEngine?: PrefilterEngineChoice;
  readonly cwd: string;
  readonly chunkBytes?: number;
}

export interface PassResult {
  readonly files: number;
  /** Decompressed bytes. */
  readonly bytes: number;
  readonly lines: number;
  readonly events: number;
  readonly emptyLines: number;
  readonly unparsedLines: number;
  readonly tooLongLines: number;
  readonly detections: number;
  /** Detections per plan rule, in plan order. */
  readonly detectionsPerRule: readonly number[];
  readonly wallNanos: number;
  readonly profile: MatcherProfile;
  /** Files skipped or cut short, as `file: reason`. */
  readonly issues: readonly string[];
}

export async function singleThreadPass(plan: MatcherPlan, files: readonly string[], options: PassOptions): Promise<PassResult> {
  const started = process.hrtime.bigint();
  const matcher = createRuleSetMatcher(plan, { profile: options.profile, ...(options.prefilterEngine ? { prefilterEngine: options.prefilterEngine } : {}) });
  const perRule = new Array<number>(plan.rules.length).fill(0);
  const issues: string[] = [];
  let bytes = 0;
  let lines = 0;
  let events = 0;
  let emptyLines = 0;
  let unparsedLines = 0;
  let tooLongLines = 0;
  let detections = 0;
  let opened = 0;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  // Chunk buffers are reused once matched (the matcher is done with a chunk when matchChunk returns): fresh
  // memory for every megabyte would put the kernel's page faults into the figures.
  const free: ArrayBuffer[] = [];
  const allocate = (): ArrayBuffer => free.pop() ?? new ArrayBuffer(chunkBytes);
  const consume = (item: ReturnType<LineFramer['push']>[number]): void => {
    if (item.kind === 'long-line') {
      tooLongLines++;
      lines++;
      return;
    }
    const r = matcher.matchChunk(item.bytes);
    if (item.bytes.buffer.byteLength === chunkBytes) free.push(item.bytes.buffer as ArrayBuffer);
    lines += r.lineCount;
    events += r.evaluated;
    emptyLines += r.emptyLines;
    unparsedLines += r.unparsed.length;
    detections += r.detections.length;
    for (const d of r.detections) perRule[d.rule] = perRule[d.rule]! + 1;
  };
  for (const file of files) {
    const source = await openSource({ kind: 'file', path: file, cwd: options.cwd }, detectFormat, () => undefined);
    if (source.kind === 'skip') {
      issues.push(`${file}: ${source.reason}`);
      continue;
    }
    opened++;
    bytes += source.startOffset;
    const framer = new LineFramer({ chunkBytes, maxLineBytes: DEFAULT_MAX_LINE_BYTES, startOffset: source.startOffset, allocate });
    try {
      if (source.direct) {
        // A plain file: read straight into the framer's chunk buffer, as the scanner does.
        for (let n = source.direct.read(framer.space()); n > 0; n = source.direct.read(framer.space())) {
          bytes += n;
          for (const item of framer.commit(n)) consume(item);
        }
      } else {
        for await (const data of source.data) {
          bytes += data.length;
          for (const item of framer.push(data)) consume(item);
        }
      }
    } catch (e) {
      issues.push(`${file}: ${e instanceof Error ? e.message : String(e)} (read up to the error)`);
    } finally {
      await source.direct?.close();
    }
    for (const item of framer.end()) consume(item);
  }
  return {
    files: opened,
    bytes,
    lines,
    events,
    emptyLines,
    unparsedLines,
    tooLongLines,
    detections,
    detectionsPerRule: perRule,
    wallNanos: Number(process.hrtime.bigint() - started),
    profile: matcher.profile(),
    issues,
  };
}
