/**
 * The pure TypeScript engine: frames lines with `indexOf(LF)` and runs the dense Aho–Corasick DFA over each
 * line's content, restarting at the root on every line so no literal can span a line boundary.
 * It must not allocate per line: hits go into reused growable buffers, deduplicated with a per-literal stamp.
 */

import { buildDenseAutomaton, type DenseAutomaton } from './aho-corasick';
import { U32Builder } from './u32-builder';
import { MAX_CHUNK_BYTES, type FramedChunk, type LinePrefilter } from './types';

const LF = 10;
const CR = 13;
/** Hit lists at most this long are sorted in place by insertion; longer ones with the built-in sort. */
const INSERTION_SORT_MAX = 24;

export class JsLinePrefilter implements LinePrefilter {
  readonly engine = 'js' as const;
  readonly literalCount: number;
  private readonly dfa: DenseAutomaton;
  /** `seen[id] === stamp` when literal `id` was already reported for the current line. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  private readonly starts = new U32Builder();
  private readonly ends = new U32Builder();
  private readonly candidates = new U32Builder();
  private readonly offsets = new U32Builder();
  private readonly hits = new U32Builder();

  constructor(literals: readonly Uint8Array[]) {
    this.literalCount = literals.length;
    this.dfa = buildDenseAutomaton(literals);
    this.seen = new Uint32Array(literals.length);
  }

  frame(bytes: Uint8Array): FramedChunk {
    const n = bytes.length;
    if (n > MAX_CHUNK_BYTES) throw new RangeError(`chunk of ${n} bytes exceeds ${MAX_CHUNK_BYTES}`);
    const { classOf, transitions, matchFrom, classCount, outputStart, outputLiterals } = this.dfa;
    const seen = this.seen;
    const starts = this.starts;
    const ends = this.ends;
    const candidates = this.candidates;
    const offsets = this.offsets;
    const hitsBuilder = this.hits;
    starts.length = ends.length = candidates.length = offsets.length = hitsBuilder.length = 0;
    offsets.push(0);
    let hits = hitsBuilder.buffer;
    let hitCount = 0;
    let stamp = this.stamp;
    let line = 0;
    let pos = 0;
    while (pos < n) {
      const nl = bytes.indexOf(LF, pos);
      let end: number;
      let next: number;
      if (nl < 0) {
        end = n;
        next = n;
      } else {
        end = nl > pos && bytes[nl - 1] === CR ? nl - 1 : nl;
        next = nl + 1;
      }
      starts.push(pos);
      ends.push(end);

      if (stamp === 0xffffffff) {
        seen.fill(0);
        stamp = 0;
      }
      stamp++;
      const lineHits = hitCount;
      let state = 0;
      for (let i = pos; i < end; i++) {
        state = transitions[state + classOf[bytes[i]!]!]!;
        if (state >= matchFrom) {
          const k = (state - matchFrom) / classCount;
          const last = outputStart[k + 1]!;
          for (let o = outputStart[k]!; o < last; o++) {
            const id = outputLiterals[o]!;
            if (seen[id] !== stamp) {
              seen[id] = stamp;
              if (hitCount === hits.length) {
                hitsBuilder.length = hitCount;
                hits = hitsBuilder.reserve(1);
              }
              hits[hitCount++] = id;
            }
          }
        }
      }
      if (hitCount > lineHits) {
        sortRange(hits, lineHits, hitCount);
        candidates.push(line);
        offsets.push(hitCount);
      }
      line++;
      pos = next;
    }
    this.stamp = stamp;
    hitsBuilder.length = hitCount;
    return {
      lineCount: line,
      lineStarts: starts.take(),
      lineEnds: ends.take(),
      candidateLines: candidates.take(),
      hitOffsets: offsets.take(),
      hitLiterals: hitsBuilder.take(),
    };
  }
}

function sortRange(a: Uint32Array, from: number, to: number): void {
  if (to - from > INSERTION_SORT_MAX) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= from && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
