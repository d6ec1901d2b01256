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
import { JSON_LINE_VALID, createLinePrefilter, encodeLiterals, type PrefilterEngineChoice } from './line-prefilter';
import { CandidateSelector } from './candidate-selector';
import { GateFilter, planRuleGates } from './rule-gates';

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
      const framed = prefilter.frame(bytes);
      selector.observe(framed);
      if (profiling) {
        prefilterNanos += now() - t0;
        profiledLines += framed.lineCount;
      }
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const detections: ChunkDetection[] = [];
      const unparsed: ChunkUnparsed[] = [];
      let emptyLines = 0;
      let evaluated = 0;
      let k = 0; // position in framed.candidateLines
      const candidates: number[] = [];
      const lineRef = { buf, start: 0, end: 0 };
      for (let line = 0; line < framed.lineCount; line++) {
        let start = framed.lineStarts[line]!;
        let end = framed.lineEnds[line]!;
        while (start < end && SPACE.has(buf[start]!)) start++;
        while (end > start && SPACE.has(buf[end - 1]!)) end--;
        const hasHits = k < framed.candidateLines.length && framed.candidateLines[k] === line;
        if (start === end) {
          emptyLines++;
          if (hasHits) k++;
          continue;
        }
        const isJson = buf[start] === OPEN_BRACE;
        if (isJson && framed.jsonStatus?.[line] !== JSON_LINE_VALID) {
          unparsed.push({ lineIndex: line, offset: framed.lineStarts[line]!, reason: whyNotJson(buf.toString('utf8', start, end)) });
          if (hasHits) k++;
          continue;
        }
        const from = hasHits ? framed.hitOffsets[k]! : 0;
        const to = hasHits ? framed.hitOffsets[k + 1]! : 0;
        if (hasHits) k++;
        lineRef.start = start;
        lineRef.end = end;
        const gates = gateCount > 0 && isJson ? gateFilter.forLine(framed.gateCodes!, line * gateCount) : undefined;
        const gated = selector.select(framed.hitLiterals, from, to, isJson ? lineRef : undefined, candidates, gates);
        if (profiling && gated && candidates.length === 0) gatedLines++;
        if (candidates.length === 0) {
          evaluated++;
          continue;
        }
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
        evaluated++;
        generation++;
        if (profiling) {
          parseNanos += now() - parseStart;
          parsedLines++;
          const lineFirst = detections.length;
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
          if (detections.length - lineFirst > 1) sortTail(detections, lineFirst);
          continue;
        }
        // Candidates come in no order; a line's detections are reported in rule order.
        const first = detections.length;
        for (const r of candidates) {
          if (conditions[r]!(view)) detections.push({ lineIndex: line, offset: framed.lineStarts[line]!, rule: r, event });
        }
        if (detections.length - first > 1) sortTail(detections, first);
      }
      return { lineCount: framed.lineCount, emptyLines, evaluated, unparsed, detections };
    },
  };
}
