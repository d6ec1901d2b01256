/**
 * The pure TypeScript engine: frames lines with `indexOf(LF)` and runs the dense Aho–Corasick DFA over each
 * line's content, restarting at the root on every line so no literal can span a line boundary.
 * It must not allocate per line: hits go into reused growable buffers, deduplicated with a per-literal stamp.
 */

import { buildDenseAutomaton, type DenseAutomaton } from './aho-corasick';
import { JSON_LINE_VALID, JsonLineValidator } from './json-line-status';
import { U32Builder } from './u32-builder';
import { checkDeadPairs, checkTriggers, gateRadixes, gateTupleKey } from './gate-tuples';
import { MAX_CHUNK_BYTES, type FramedChunk, type GateField, type LinePrefilter } from './types';

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
  /** Present when validating: per line JsonLineStatus, grown like the builders and copied out exactly. */
  private readonly json: JsonLineValidator | undefined;
  private statuses = new Uint8Array(1024);
  /** Per line `gates.length` codes, grown with `statuses`. */
  private codes = new Uint16Array(0);

  constructor(
    literals: readonly Uint8Array[],
    readonly validatesJson = false,
    readonly gates: readonly GateField[] = [],
    readonly gatesOnEveryLine = false,
  ) {
    this.literalCount = literals.length;
    this.json = validatesJson ? new JsonLineValidator(gates) : undefined;
    this.radixes = gateRadixes(gates);
    this.codes = new Uint16Array(this.statuses.length * gates.length);
    this.dfa = buildDenseAutomaton(literals);
    this.seen = new Uint32Array(literals.length);
  }

  /** Per literal id: 1 when its hits make a line a candidate; undefined when every literal does. */
  private triggers: Uint8Array | undefined;

  setTriggers(ids: readonly number[] | undefined): void {
    if (ids === undefined) {
      this.triggers = undefined;
      return;
    }
    checkTriggers(ids, this.literalCount);
    const triggers = new Uint8Array(this.literalCount);
    for (const id of ids) triggers[id] = 1;
    this.triggers = triggers;
  }

  /** setDeadPairs: per tuple key, the trigger literals its gates rule out. */
  private dead: Map<number, Set<number>> | undefined;
  private readonly radixes: readonly number[];

  setDeadPairs(tupleKeys: readonly number[], literals: readonly number[]): void {
    if (this.gates.length === 0) throw new RangeError('dead pairs need gates');
    checkDeadPairs(tupleKeys, literals, this.literalCount);
    const dead = new Map<number, Set<number>>();
    tupleKeys.forEach((key, i) => {
      const lit = literals[i]!;
      let set = dead.get(key);
      if (!set) dead.set(key, (set = new Set()));
      set.add(lit);
    });
    this.dead = dead.size > 0 ? dead : undefined;
  }


  frame(bytes: Uint8Array, countLiterals = false): FramedChunk {
    const n = bytes.length;
    let gatedLines = 0;
    const triggers = this.triggers;
    const literalLines = countLiterals ? new Uint32Array(this.literalCount) : undefined;
    if (n > MAX_CHUNK_BYTES) throw new RangeError(`chunk of ${n} bytes exceeds ${MAX_CHUNK_BYTES}`);
    const { starts, ends, candidates, offsets, hits, json } = this;
    starts.length = ends.length = candidates.length = offsets.length = hits.length = 0;
    offsets.push(0);
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
      const lineHits = hits.length;
      if (end > pos) this.scanLine(bytes, pos, end);
      let candidate = hits.length > lineHits;
      if (candidate && (triggers !== undefined || literalLines !== undefined)) {
        let triggered = triggers === undefined;
        for (let h = lineHits; h < hits.length; h++) {
          const id = hits.buffer[h]!;
          if (literalLines !== undefined) literalLines[id]!++;
          if (!triggered && triggers![id] === 1) triggered = true;
        }
        candidate = triggered;
      }
      // Right after the scan, while the line is still in cache.
      if (json) {
        if (line === this.statuses.length) this.growStatuses();
        // Gates are read on candidate lines only, unless asked for every line (see FramedChunk.gateCodes).
        this.statuses[line] = json.status(bytes, pos, end, this.codes, line * this.gates.length, this.gatesOnEveryLine || candidate);
        // A line whose gates rule out every rule its triggers could concern is no candidate.
        const dead = candidate && this.statuses[line] === JSON_LINE_VALID ? this.dead?.get(gateTupleKey(this.codes, line * this.gates.length, this.radixes)) : undefined;
        if (dead !== undefined) {
          let live = false;
          for (let h = lineHits; h < hits.length && !live; h++) {
            const id = hits.buffer[h]!;
            if ((triggers === undefined || triggers[id] === 1) && !dead.has(id)) live = true;
          }
          if (!live) {
            candidate = false;
            gatedLines++;
          }
        }
      }
      if (candidate) {
        sortRange(hits.buffer, lineHits, hits.length);
        candidates.push(line);
        offsets.push(hits.length);
      } else {
        hits.length = lineHits;
      }
      line++;
      pos = next;
    }
    const framed: FramedChunk = {
      lineCount: line,
      lineStarts: starts.take(),
      lineEnds: ends.take(),
      candidateLines: candidates.take(),
      hitOffsets: offsets.take(),
      hitLiterals: hits.take(),
      ...(literalLines !== undefined ? { literalLines } : {}),
    };
    if (!json) return framed;
    const withStatus = { ...framed, jsonStatus: this.statuses.slice(0, line) };
    return this.gates.length > 0 ? { ...withStatus, gateCodes: this.codes.slice(0, line * this.gates.length), gatedLines } : withStatus;
  }

  private growStatuses(): void {
    const grown = new Uint8Array(this.statuses.length * 2);
    grown.set(this.statuses);
    this.statuses = grown;
    const codes = new Uint16Array(grown.length * this.gates.length);
    codes.set(this.codes);
    this.codes = codes;
  }

  /** The hot loop: one load and one compare per byte; the rare reporting path is kept out of it. */
  private scanLine(bytes: Uint8Array, from: number, to: number): void {
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    const { classOf, transitions, matchFrom } = this.dfa;
    let state = 0;
    for (let i = from; i < to; i++) {
      state = transitions[state + classOf[bytes[i]!]!]!;
      if (state >= matchFrom) this.report(state);
    }
  }

  private report(state: number): void {
    const { transitions, classCount, outputStart, outputLiterals } = this.dfa;
    const seen = this.seen;
    const stamp = this.stamp;
    const k = transitions[state + classCount]!;
    const last = outputStart[k + 1]!;
    for (let o = outputStart[k]!; o < last; o++) {
      const id = outputLiterals[o]!;
      if (seen[id] !== stamp) {
        seen[id] = stamp;
        this.hits.push(id);
      }
    }
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
