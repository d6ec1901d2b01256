/** A rule set → one matcher plan → a scan over inputs on worker threads. Loads no text backend. */
import { error, type Diagnostic, type LineIndex } from '../util/diagnostics';
import type { SigmaRule } from '../rule/types';
import type { CompiledRule, CompileOptions } from '../ir/compile-rule';
import { buildPlan } from '../backends/plan';
import type { LogsourceMapping } from '../logsource/mapping';
import type { FieldResolution, MatcherPlan } from '../plan/types';
import { scan } from '../scan/scan';
import type { ScanOptions, ScanSummary } from '../scan/types';
import type { WorkerPayload } from '../engine/worker-entry';
import type { EngineOptions } from '../engine/rule-set-matcher';
import { compileLoadedRule, type RuleSet } from './rule-set';
import { ENGINE_WORKER_MODULE } from './scan-workers';

export interface RulePlanOptions extends CompileOptions {
  /** Logsource mapping; `null` runs each rule's detection on every event. */
  readonly mapping: LogsourceMapping | null;
  readonly fieldResolution: FieldResolution;
}

export interface NotLoadedRule {
  readonly file: string;
  readonly title: string;
  readonly reason: string;
}

export interface RulePlan {
  readonly plan: MatcherPlan;
  /** Rules that could not be compiled or planned, each with the reason. Never dropped silently. */
  readonly notLoaded: readonly NotLoadedRule[];
  /** Remarks about loaded rules (unmapped logsources). */
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Every rule of the set → one matcher plan; rules that fail are listed with the reason. */
export function planRuleSet(set: RuleSet, options: RulePlanOptions): RulePlan {
  const diagnostics: Diagnostic[] = [...set.diagnostics];
  const notLoaded: NotLoadedRule[] = [];
  const inputs: { rule: SigmaRule; ir: NonNullable<CompiledRule['ir']>; lines: LineIndex }[] = [];
  for (const r of set.rules) {
    const compiled = compileLoadedRule(r, options);
    diagnostics.push(...compiled.diagnostics);
    if (!compiled.ir) {
      const first = compiled.diagnostics.find((d) => d.severity === 'error');
      notLoaded.push({ file: r.rule.file, title: r.rule.title, reason: first ? `${first.code}: ${first.message}` : 'does not compile' });
      continue;
    }
    inputs.push({ rule: r.rule, ir: compiled.ir, lines: r.lines });
  }
  const built = buildPlan(inputs, { mapping: options.mapping, fieldResolution: options.fieldResolution });
  for (const p of built.problems) {
    const lines = inputs.find((i) => i.rule === p.rule)?.lines;
    diagnostics.push(error(p.code, p.message, lines?.position(p.offset), p.rule.title));
    notLoaded.push({ file: p.rule.file, title: p.rule.title, reason: `${p.code}: ${p.message}` });
  }
  for (const c of set.correlations) {
    notLoaded.push({ file: c.file, title: c.title, reason: 'correlation rules are not evaluated by the scanner yet' });
  }
  const notes = built.notes.map((n) => `${n.rule.file}: ${n.note}`);
  return { plan: built.plan, notLoaded, notes, diagnostics };
}

/** `workers` (from spawnScanWorkers or prepareScanThreads) must load ENGINE_WORKER_MODULE. */
export interface PlanScanOptions extends Omit<ScanOptions, 'matcherModule' | 'plan'> {
  readonly engine?: EngineOptions;
}

/** Runs a matcher plan over inputs on worker threads; results go to the sinks, the summary is returned. */
export function scanWithPlan(plan: MatcherPlan, options: PlanScanOptions): Promise<ScanSummary> {
  const payload: WorkerPayload = { plan, engine: options.engine ?? {} };
  const { engine: _engine, ...scanOptions } = options;
  return scan({ ...scanOptions, matcherModule: ENGINE_WORKER_MODULE, plan: payload });
}
