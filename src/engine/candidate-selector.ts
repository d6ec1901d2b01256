/**
 * Which rules must look at a line, from the prefilter's literal hits. A rule's prefilter is a conjunction
 * of clauses; the rule is posted under the literals of one clause and, when one of them hits, its other
 * clauses are checked against the line's hit set. Which clause is posted adapts to the data: after the
 * first chunks, each rule is re-posted under the clause whose literals were seen least (sound either way,
 * since every clause is checked). A JSON line holding a key the rule requires absent drops the rule.
 */
import type { MatcherPlan } from '../plan/types';
import type { FramedChunk } from './line-prefilter';

/** Lines observed before the posting is re-chosen, and how many times it is re-chosen at most. */
const ADAPT_AFTER_LINES = 2_000;
const MAX_ADAPTATIONS = 3;

export class CandidateSelector {
  private readonly clauses: (readonly (readonly number[])[])[];
  private readonly posted: Uint16Array;
  private postings: number[][] = [];
  private readonly always: number[] = [];
  private readonly hitStamp: Uint32Array;
  private hitGeneration = 0;
  private readonly seen: Uint32Array;
  private seenGeneration = 0;
  private readonly literalHits: Float64Array;
  private linesSeen = 0;
  private adaptations = 0;
  /** Per rule, ids of the keys it requires absent; `unlessKeyBytes[id]` is `"name":`. */
  private readonly unless: (readonly number[])[];
  private readonly unlessKeyBytes: Buffer[];
  private readonly keyStamp: Uint32Array;
  private readonly keyPresent: Uint8Array;
  private lineGeneration = 0;

  constructor(plan: MatcherPlan, private readonly usePrefilter: boolean) {
    const n = plan.rules.length;
    this.clauses = plan.rules.map((r) => (usePrefilter ? r.prefilter : []));
    this.posted = new Uint16Array(n);
    this.hitStamp = new Uint32Array(plan.literals.length);
    this.literalHits = new Float64Array(plan.literals.length);
    this.seen = new Uint32Array(n);
    const keyIds = new Map<string, number>();
    this.unlessKeyBytes = [];
    this.unless = plan.rules.map((r) =>
      (r.unlessKeys ?? []).map((key) => {
        let id = keyIds.get(key);
        if (id === undefined) {
          id = this.unlessKeyBytes.length;
          keyIds.set(key, id);
          this.unlessKeyBytes.push(Buffer.from(`${JSON.stringify(key)}:`));
        }
        return id;
      }),
    );
    this.keyStamp = new Uint32Array(this.unlessKeyBytes.length);
    this.keyPresent = new Uint8Array(this.unlessKeyBytes.length);
    this.clauses.forEach((c, r) => {
      if (c.length === 0) this.always.push(r);
    });
    this.post();
  }

  /** Counts literal hits of a framed chunk and, early on, re-chooses the posted clauses. */
  observe(framed: FramedChunk): void {
    if (!this.usePrefilter || this.adaptations >= MAX_ADAPTATIONS) return;
    const hits = framed.hitLiterals;
    for (let i = 0; i < hits.length; i++) this.literalHits[hits[i]!]! += 1;
    this.linesSeen += framed.lineCount;
    if (this.linesSeen >= ADAPT_AFTER_LINES * (this.adaptations + 1)) {
      this.adaptations++;
      this.clauses.forEach((clauses, r) => {
        let best = 0;
        let bestCost = Infinity;
        clauses.forEach((clause, i) => {
          let cost = 0;
          for (const lit of clause) cost += this.literalHits[lit]!;
          if (cost < bestCost) {
            bestCost = cost;
            best = i;
          }
        });
        this.posted[r] = best;
      });
      this.post();
    }
  }

  /**
   * The candidate rules of one line, in no particular order, into `out`. `hits` are the line's literal ids; `line` is
   * its bytes when it is a JSON object (for the absent-key check), else undefined.
   */
  select(hits: Uint32Array, from: number, to: number, line: Buffer | undefined, out: number[]): void {
    out.length = 0;
    this.seenGeneration++;
    this.hitGeneration++;
    this.lineGeneration++;
    for (let h = from; h < to; h++) this.hitStamp[hits[h]!] = this.hitGeneration;
    for (let h = from; h < to; h++) {
      for (const r of this.postings[hits[h]!]!) {
        if (this.seen[r] === this.seenGeneration) continue;
        this.seen[r] = this.seenGeneration;
        if (this.otherClausesHold(r) && this.noAbsentKeyPresent(r, line)) out.push(r);
      }
    }
    for (const r of this.always) {
      if (this.seen[r] !== this.seenGeneration && this.noAbsentKeyPresent(r, line)) out.push(r);
    }
  }

  private post(): void {
    this.postings = Array.from({ length: this.hitStamp.length }, () => [] as number[]);
    this.clauses.forEach((clauses, r) => {
      const clause = clauses[this.posted[r]!];
      if (clause) for (const lit of clause) this.postings[lit]!.push(r);
    });
  }

  private otherClausesHold(r: number): boolean {
    const clauses = this.clauses[r]!;
    const posted = this.posted[r]!;
    for (let i = 0; i < clauses.length; i++) {
      if (i === posted) continue;
      if (!clauses[i]!.some((lit) => this.hitStamp[lit] === this.hitGeneration)) return false;
    }
    return true;
  }

  private noAbsentKeyPresent(r: number, line: Buffer | undefined): boolean {
    const keys = this.unless[r]!;
    if (keys.length === 0 || line === undefined) return true;
    for (const id of keys) {
      if (this.keyStamp[id] !== this.lineGeneration) {
        this.keyStamp[id] = this.lineGeneration;
        this.keyPresent[id] = line.indexOf(this.unlessKeyBytes[id]!) >= 0 ? 1 : 0;
      }
      if (this.keyPresent[id] === 1) return false;
    }
    return true;
  }
}
