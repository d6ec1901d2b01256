/**
 * Which rules must look at a line, from the prefilter's literal hits. A rule's prefilter is a conjunction
 * of clauses; the rule is posted under the literals of one clause and, when one of them hits, its other
 * clauses are checked against the line's hit set. Which clause is posted adapts to the data: after the
 * first chunks, each rule is re-posted under the clause whose literals were seen least (sound either way,
 * since every clause is checked). A JSON line holding a key the rule requires absent drops the rule.
 */
import type { MatcherPlan } from '../plan/types';
import type { FramedChunk } from './line-prefilter';
import type { GateVerdicts } from './rule-gates';

/** A JSON line within its chunk (for the absent-key check). */
export interface LineRef {
  readonly buf: Buffer;
  readonly start: number;
  readonly end: number;
}

/** Lines observed before the posting is re-chosen, and how many times it is re-chosen at most. */
const ADAPT_AFTER_LINES = 2_000;
const MAX_ADAPTATIONS = 3;

export class CandidateSelector {
  private readonly clauses: (readonly (readonly number[])[])[];
  /** The clauses flattened: rule r's clauses are clauseStart[ruleClauses[r] .. ruleClauses[r + 1]). */
  private readonly ruleClauses: Uint32Array;
  private readonly clauseStart: Uint32Array;
  private readonly clauseLiterals: Uint32Array;
  private readonly posted: Uint16Array;
  /** Rules posted under literal l: postingRules[postingStart[l] .. postingStart[l + 1]). */
  private postingStart = new Uint32Array(1);
  private postingRules = new Uint32Array(0);
  private readonly always: number[] = [];

  /** Rules without a prefilter clause: candidates on every line their absent keys allow. */
  get alwaysCandidates(): readonly number[] {
    return this.always;
  }

  private postings = 0;
  /** Changes whenever the posted clauses do (see triggerLiterals). */
  get postingVersion(): number {
    return this.postings;
  }

  /** Whether `observe` still counts literals to choose clauses: frame chunks with `literalLines` meanwhile. */
  get adapting(): boolean {
    return this.usePrefilter && this.adaptations < MAX_ADAPTATIONS;
  }

  /** Whether literal `lit` posts some rule, and every rule it posts fails its gate on the current line. */
  postedRulesAllGated(lit: number, gates: GateVerdicts): boolean {
    const start = this.postingStart[lit]!;
    const end = this.postingStart[lit + 1]!;
    if (start === end) return false;
    for (let p = start; p < end; p++) if (gates.holds(this.postingRules[p]!)) return false;
    return true;
  }

  /**
   * The literals of the posted clauses: a line holding none of them makes no rule with clauses a candidate,
   * so the prefilter need not report it (LinePrefilter.setTriggers).
   */
  triggerLiterals(): number[] {
    const ids: number[] = [];
    for (let l = 0; l + 1 < this.postingStart.length; l++) if (this.postingStart[l + 1]! > this.postingStart[l]!) ids.push(l);
    return ids;
  }
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
  private lineBytes: Buffer | undefined;

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
    const clauseCount = this.clauses.reduce((n, c) => n + c.length, 0);
    const literalCount = this.clauses.reduce((n, c) => n + c.reduce((m, cl) => m + cl.length, 0), 0);
    this.ruleClauses = new Uint32Array(n + 1);
    this.clauseStart = new Uint32Array(clauseCount + 1);
    this.clauseLiterals = new Uint32Array(literalCount);
    let ci = 0;
    let li = 0;
    this.clauses.forEach((clauses, r) => {
      this.ruleClauses[r] = ci;
      for (const clause of clauses) {
        this.clauseStart[ci++] = li;
        for (const lit of clause) this.clauseLiterals[li++] = lit;
      }
    });
    this.ruleClauses[n] = ci;
    this.clauseStart[ci] = li;
    this.post();
  }

  /** Counts literal hits of a framed chunk and, early on, re-chooses the posted clauses. */
  observe(framed: FramedChunk): void {
    if (!this.usePrefilter || this.adaptations >= MAX_ADAPTATIONS) return;
    // Lines holding each literal: counted by the prefilter when asked (candidate lines are only those with a
    // posted literal), else from the candidate lines' hits.
    const counts = framed.literalLines;
    if (counts !== undefined) {
      for (let l = 0; l < counts.length; l++) this.literalHits[l]! += counts[l]!;
    } else {
      const hits = framed.hitLiterals;
      for (let i = 0; i < hits.length; i++) this.literalHits[hits[i]!]! += 1;
    }
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
   * The candidate rules of one line, in no particular order, into `out`. `hits` are the line's literal ids; `line`
   * locates its bytes when it is a JSON object (for the absent-key check), else undefined. A rule whose
   * logsource gate fails on the line (`gates`) is never a candidate. Returns whether some rule was left out
   * only by its gate.
   */
  select(hits: Uint32Array, from: number, to: number, line: LineRef | undefined, out: number[], gates?: GateVerdicts): boolean {
    out.length = 0;
    this.lineBytes = undefined;
    const seen = this.seen;
    const seenGeneration = ++this.seenGeneration;
    const hitStamp = this.hitStamp;
    const hitGeneration = ++this.hitGeneration;
    this.lineGeneration++;
    for (let h = from; h < to; h++) hitStamp[hits[h]!] = hitGeneration;
    const postingStart = this.postingStart;
    const postingRules = this.postingRules;
    let gated = false;
    for (let h = from; h < to; h++) {
      const lit = hits[h]!;
      for (let p = postingStart[lit]!, end = postingStart[lit + 1]!; p < end; p++) {
        const r = postingRules[p]!;
        if (seen[r] === seenGeneration) continue;
        seen[r] = seenGeneration;
        if (gates !== undefined && !gates.holds(r)) {
          gated = true;
          continue;
        }
        if (this.otherClausesHold(r, hitGeneration) && this.noAbsentKeyPresent(r, line)) out.push(r);
      }
    }
    for (const r of this.always) {
      if (seen[r] === seenGeneration) continue;
      if (gates !== undefined && !gates.holds(r)) gated = true;
      else if (this.noAbsentKeyPresent(r, line)) out.push(r);
    }
    return gated;
  }

  private post(): void {
    const counts = new Uint32Array(this.hitStamp.length + 1);
    const postedClause = (r: number): number => this.ruleClauses[r]! + this.posted[r]!;
    const rules = this.clauses.length;
    for (let r = 0; r < rules; r++) {
      if (this.clauses[r]!.length === 0) continue;
      const c = postedClause(r);
      for (let i = this.clauseStart[c]!; i < this.clauseStart[c + 1]!; i++) counts[this.clauseLiterals[i]! + 1]!++;
    }
    for (let l = 1; l < counts.length; l++) counts[l]! += counts[l - 1]!;
    const fill = counts.slice();
    const postingRules = new Uint32Array(counts[counts.length - 1]!);
    for (let r = 0; r < rules; r++) {
      if (this.clauses[r]!.length === 0) continue;
      const c = postedClause(r);
      for (let i = this.clauseStart[c]!; i < this.clauseStart[c + 1]!; i++) postingRules[fill[this.clauseLiterals[i]!]!++] = r;
    }
    this.postingStart = counts;
    this.postingRules = postingRules;
    this.postings++;
  }

  private otherClausesHold(r: number, hitGeneration: number): boolean {
    const posted = this.ruleClauses[r]! + this.posted[r]!;
    const end = this.ruleClauses[r + 1]!;
    for (let c = this.ruleClauses[r]!; c < end; c++) {
      if (c === posted) continue;
      let any = false;
      for (let i = this.clauseStart[c]!, stop = this.clauseStart[c + 1]!; i < stop; i++) {
        if (this.hitStamp[this.clauseLiterals[i]!] === hitGeneration) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  }

  private noAbsentKeyPresent(r: number, line: LineRef | undefined): boolean {
    const keys = this.unless[r]!;
    if (keys.length === 0 || line === undefined) return true;
    for (const id of keys) {
      if (this.keyStamp[id] !== this.lineGeneration) {
        this.keyStamp[id] = this.lineGeneration;
        // The line's own bytes, made once per line and only when some rule needs them.
        const bytes = (this.lineBytes ??= line.buf.subarray(line.start, line.end));
        this.keyPresent[id] = bytes.indexOf(this.unlessKeyBytes[id]!) >= 0 ? 1 : 0;
      }
      if (this.keyPresent[id] === 1) return false;
    }
    return true;
  }
}
