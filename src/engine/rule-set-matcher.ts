/**
 * A matcher plan made executable, once per worker: leaves compiled (RE2 objects built here), conditions
 * turned into closures, and the prefilter's literal table loaded into the line prefilter. Per chunk it
 * frames lines and runs the literal pass in one go; only lines where some rule's literal occurs (or that
 * a rule without literals must see) become strings, get parsed and are evaluated, and each leaf is
 * computed at most once per event.
 */
import { Buffer } from 'node:buffer';
import { PLAN_FORMAT, PLAN_VERSION, type MatcherPlan, type PlanNode } from '../plan/types';
import type { ChunkDetection, ChunkMatcher, ChunkResult, ChunkUnparsed, RuleInfo } from './chunk-contract';
import { compileLeaf, type LeafMatcher } from './leaf-matchers';
import { EventView } from './event-view';
import { JSON_LINE_INVALID, JSON_LINE_NOT_OBJECT, JSON_LINE_VALID, createLinePrefilter, encodeLiterals, type FramedChunk, type PrefilterEngineChoice } from './line-prefilter';
import { CandidateSelector, type LineRef } from './candidate-selector';
import { GateFilter, planRuleGates, type GateVerdicts } from './rule-gates';

export interface EngineOptions {
  /** Which prefilter implementation runs the byte loop. */
  readonly prefilterEngine?: PrefilterEngineChoice;
  /** `false` evaluates every rule on every event (for checking that the prefilter changes nothing). */
  readonly usePrefilter?: boolean;
  /**
   * Count and time per rule (for `sigrep bench`); costs a clock read per evaluation. A leaf shared by
   * several rules is charged to the first rule that evaluates it on an event.
   */
  readonly profile?: boolean;
}

/** What profiling collected; plain data. Times in nanoseconds. */
export interface MatcherProfile {
  readonly lines: number;
  /** Lines where at least one rule was a candidate (so the line was decoded and parsed). */
  readonly parsedLines: number;
  /** Lines where the literals made some rule a candidate but every such rule failed its logsource gate. */
  readonly gatedLines: number;
  readonly prefilterNanos: number;
  readonly parseNanos: number;
  readonly rules: readonly RuleProfile[];
}

export interface RuleProfile {
  /** Events on which the rule was evaluated (it passed the prefilter). */
  readonly evaluated: number;
  readonly matched: number;
  readonly nanos: number;
}

export interface ProfilingChunkMatcher extends ChunkMatcher {
  profile(): MatcherProfile;
}

type Condition = (e: EventView) => boolean;

export class PlanError extends Error {}

export function checkPlan(plan: unknown): MatcherPlan {
  const p = plan as Partial<MatcherPlan> | null;
  if (!p || p.format !== PLAN_FORMAT) throw new PlanError(`not a sigrep matcher plan (format must be "${PLAN_FORMAT}")`);
  if (p.version !== PLAN_VERSION) throw new PlanError(`matcher plan version ${String(p.version)} is not supported (this engine reads version ${PLAN_VERSION})`);
  return p as MatcherPlan;
}

/** Sorts `list[from..]` by rule index, in place (a line has few detections). */
function sortTail(list: ChunkDetection[], from: number): void {
  const tail = list.splice(from).sort((a, b) => a.rule - b.rule);
  list.push(...tail);
}

/** JSON.parse's own words for a line the byte pass found invalid. */
function whyNotJson(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  return 'invalid JSON';
}

const SPACE = new Set([0x20, 0x09, 0x0d, 0x0b, 0x0c]);
const OPEN_BRACE = 0x7b;

/** The lines of a chunk that are not valid JSON objects, in order: each search runs on from the last. */
class OtherLines {
  private notObject = -1;
  private invalid = -1;

  constructor(
    private readonly status: Uint8Array,
    private readonly count: number,
  ) {}

  /** The first such line at or after `line`, or the line count. */
  from(line: number): number {
    if (this.notObject < line) this.notObject = this.find(JSON_LINE_NOT_OBJECT, line);
    if (this.invalid < line) this.invalid = this.find(JSON_LINE_INVALID, line);
    return Math.min(this.notObject, this.invalid);
  }

  private find(code: number, line: number): number {
    const at = line >= this.count ? -1 : this.status.indexOf(code, line);
    return at < 0 ? this.count : at;
  }
}

/** What matching one chunk has gathered so far. */
interface ChunkState {
  readonly framed: FramedChunk;
  readonly buf: Buffer;
  readonly detections: ChunkDetection[];
  readonly unparsed: ChunkUnparsed[];
  emptyLines: number;
  evaluated: number;
}

export function createRuleSetMatcher(planData: unknown, options: EngineOptions = {}): ProfilingChunkMatcher {
  const plan = checkPlan(planData);
  const usePrefilter = options.usePrefilter ?? true;
  const leafMatchers: LeafMatcher[] = plan.leaves.map(compileLeaf);
  // Per-event memo of leaf results: a generation stamp avoids clearing the arrays for every event.
  const stamp = new Uint32Array(leafMatchers.length);
  const value = new Uint8Array(leafMatchers.length);
  let generation = 0;
  const leaf = (i: number): Condition => {
    const m = leafMatchers[i]!;
    return (e) => {
      if (stamp[i] !== generation) {
        stamp[i] = generation;
        value[i] = m(e) ? 1 : 0;
      }
      return value[i] === 1;
    };
  };
  const compile = (n: PlanNode): Condition => {
    if ('leaf' in n) return leaf(n.leaf);
    if ('const' in n) {
      const v = n.const;
      return () => v;
    }
    if ('not' in n) {
      const c = compile(n.not);
      return (e) => !c(e);
    }
    if ('and' in n) {
      const cs = n.and.map(compile);
      return (e) => cs.every((c) => c(e));
    }
    const cs = n.or.map(compile);
    return (e) => cs.some((c) => c(e));
  };
  const conditions = plan.rules.map((r) => compile(r.condition));
  const rules: RuleInfo[] = plan.rules.map((r) => ({ id: r.id, title: r.title, level: r.level, tags: r.tags, file: r.file }));

  const selector = new CandidateSelector(plan, usePrefilter);
  const gates = usePrefilter ? planRuleGates(plan) : { fields: [], tests: [] };
  const gateFilter = new GateFilter(gates);
  const gateCount = gates.fields.length;
  // The byte pass also validates JSON lines, so a malformed line is reported even when no rule could match it,
  // and reads the gate fields of valid ones.
  const prefilter = createLinePrefilter(usePrefilter ? encodeLiterals(plan.literals) : [], {
    ...(options.prefilterEngine ? { engine: options.prefilterEngine } : {}),
    validateJson: true,
    gates: gates.fields,
    // A rule without literals is a candidate on every line; its gate can rule it out only where codes are read.
    gatesOnEveryLine: selector.alwaysCandidates.some((r) => gates.tests[r] !== undefined),
  });
  const profiling = options.profile ?? false;
  const ruleEvaluated = new Float64Array(plan.rules.length);
  const ruleMatched = new Float64Array(plan.rules.length);
  const ruleNanos = new Float64Array(plan.rules.length);
  let profiledLines = 0;
  let parsedLines = 0;
  let gatedLines = 0;
  let prefilterNanos = 0;
  let parseNanos = 0;
  const now = () => Number(process.hrtime.bigint());
  // Without a rule that runs on lines no literal hit, such a line needs no selection (nor its gates).
  const skipLinesWithoutHits = usePrefilter && selector.alwaysCandidates.length === 0;
  const candidates: number[] = [];
  let triggersOf = -1;
  // (tuple key, literal) pairs whose lines can make no rule a candidate (LinePrefilter.setDeadPairs), and per
  // tuple key the literals already judged there (true when every rule the literal posts fails its gate).
  const dead = { keys: [] as number[], literals: [] as number[], judged: new Map<number, Map<number, boolean>>(), sent: 0 };
  const judgePairs = (from: number, to: number, hits: Uint32Array, gates: GateVerdicts): void => {
    const key = gateFilter.tupleKey();
    let judged = dead.judged.get(key);
    if (judged === undefined) dead.judged.set(key, (judged = new Map()));
    for (let h = from; h < to; h++) {
      const lit = hits[h]!;
      if (judged.has(lit)) continue;
      const isDead = selector.postedRulesAllGated(lit, gates);
      judged.set(lit, isDead);
      if (isDead) {
        dead.keys.push(key);
        dead.literals.push(lit);
      }
    }
  };
  const lineRef: { -readonly [K in keyof LineRef]: LineRef[K] } = { buf: Buffer.alloc(0), start: 0, end: 0 };

  /** One line of a chunk: empty, unparsed, or evaluated by its candidate rules. Hits are framed.hitLiterals[from..to). */
  const matchLine = (chunk: ChunkState, line: number, from: number, to: number): void => {
    const { framed, buf } = chunk;
    let start = framed.lineStarts[line]!;
    let end = framed.lineEnds[line]!;
    while (start < end && SPACE.has(buf[start]!)) start++;
    while (end > start && SPACE.has(buf[end - 1]!)) end--;
    if (start === end) {
      chunk.emptyLines++;
      return;
    }
    const isJson = buf[start] === OPEN_BRACE;
    if (isJson && framed.jsonStatus![line] !== JSON_LINE_VALID) {
      chunk.unparsed.push({ lineIndex: line, offset: framed.lineStarts[line]!, reason: whyNotJson(buf.toString('utf8', start, end)) });
      return;
    }
    lineRef.buf = buf;
    lineRef.start = start;
    lineRef.end = end;
    const gates = gateCount > 0 && isJson ? gateFilter.forLine(framed.gateCodes!, line * gateCount) : undefined;
    const gated = selector.select(framed.hitLiterals, from, to, isJson ? lineRef : undefined, candidates, gates);
    if (gated && candidates.length === 0) {
      if (profiling) gatedLines++;
      // Lines with this tuple of gate codes and only these literals will never make a rule a candidate:
      // the prefilter can leave them out from now on.
      judgePairs(from, to, framed.hitLiterals, gates!);
    }
    chunk.evaluated++;
    if (candidates.length > 0) evaluateLine(chunk, line, start, end, isJson);
  };

  /** Parses a line some rule is a candidate for and runs those rules' conditions on it. */
  const evaluateLine = (chunk: ChunkState, line: number, start: number, end: number, isJson: boolean): void => {
    const { framed, buf, detections } = chunk;
    const parseStart = profiling ? now() : 0;
    const text = buf.toString('utf8', start, end);
    let event: unknown;
    let view: EventView;
    if (isJson) {
      event = JSON.parse(text); // validated in the byte pass
      view = EventView.json(event, plan.fieldResolution);
    } else {
      event = text;
      view = EventView.text(text);
    }
    generation++;
    const first = detections.length;
    if (profiling) {
      parseNanos += now() - parseStart;
      parsedLines++;
      for (const r of candidates) {
        const t = now();
        const hit = conditions[r]!(view);
        ruleNanos[r] = ruleNanos[r]! + (now() - t);
        ruleEvaluated[r] = ruleEvaluated[r]! + 1;
        if (hit) {
          ruleMatched[r] = ruleMatched[r]! + 1;
          detections.push({ lineIndex: line, offset: framed.lineStarts[line]!, rule: r, event });
        }
      }
    } else {
      for (const r of candidates) {
        if (conditions[r]!(view)) detections.push({ lineIndex: line, offset: framed.lineStarts[line]!, rule: r, event });
      }
    }
    // Candidates come in no order; a line's detections are reported in rule order.
    if (detections.length - first > 1) sortTail(detections, first);
  };

  return {
    rules,
    profile: () => ({
      lines: profiledLines,
      parsedLines,
      gatedLines,
      prefilterNanos,
      parseNanos,
      rules: plan.rules.map((_, i) => ({ evaluated: ruleEvaluated[i]!, matched: ruleMatched[i]!, nanos: ruleNanos[i]! })),
    }),
    matchChunk(bytes: Uint8Array): ChunkResult {
      const t0 = profiling ? now() : 0;
      if (usePrefilter && selector.postingVersion !== triggersOf) {
        // Only lines holding a posted literal can make a rule with clauses a candidate; dead pairs were
        // judged on the rules each literal posted before.
        prefilter.setTriggers(selector.triggerLiterals());
        triggersOf = selector.postingVersion;
        if (dead.sent > 0) prefilter.setDeadPairs([], []);
        dead.keys.length = dead.literals.length = dead.sent = 0;
        dead.judged.clear();
      } else if (dead.keys.length > dead.sent) {
        prefilter.setDeadPairs(dead.keys, dead.literals);
        dead.sent = dead.keys.length;
      }
      const framed = prefilter.frame(bytes, selector.adapting);
      selector.observe(framed);
      if (profiling) {
        prefilterNanos += now() - t0;
        profiledLines += framed.lineCount;
        gatedLines += framed.gatedLines ?? 0;
      }
      const chunk: ChunkState = {
        framed,
        buf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        detections: [],
        unparsed: [],
        emptyLines: 0,
        evaluated: 0,
      };
      const count = framed.lineCount;
      const hitLines = framed.candidateLines;
      const status = framed.jsonStatus!;
      // With no rule that runs without literals, a valid JSON object no literal hit is evaluated by no rule and
      // is only counted; the other lines (empty, text, invalid JSON) take the general path. They are found with
      // indexOf, so a chunk of valid lines costs no JavaScript per line, only per candidate.
      const others = skipLinesWithoutHits ? new OtherLines(status, count) : undefined;
      let line = 0;
      for (let k = 0; k <= hitLines.length; k++) {
        const next = k < hitLines.length ? hitLines[k]! : count;
        if (others === undefined) {
          for (; line < next; line++) matchLine(chunk, line, 0, 0);
        } else {
          for (let other = others.from(line); other < next; other = others.from(line)) {
            chunk.evaluated += other - line;
            matchLine(chunk, other, 0, 0);
            line = other + 1;
          }
          chunk.evaluated += next - line;
          line = next;
        }
        if (k < hitLines.length) matchLine(chunk, line++, framed.hitOffsets[k]!, framed.hitOffsets[k + 1]!);
      }
      return { lineCount: count, emptyLines: chunk.emptyLines, evaluated: chunk.evaluated, unparsed: chunk.unparsed, detections: chunk.detections };
    },
  };
}
