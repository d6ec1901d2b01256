/**
 * The library's front door: load rule files, compile them, convert them to a target. The CLI is a thin
 * layer over these functions; so is anything else that embeds sigrep.
 */
import { LineIndex, error, hasErrors, warning, type Diagnostic } from './util/diagnostics';
import { loadRuleText } from './rule/load-rules';
import type { SigmaCorrelation, SigmaRule } from './rule/types';
import { compileRule, type CompiledRule, type CompileOptions } from './ir/compile-rule';
import { explainIr } from './ir/explain';
import { compileGrep, type GrepFields, type GrepFormat } from './backends/grep';
import type { RuleFileText } from './io/rule-files';
import { SIGMAC_BACKENDS, convertSigmac, type SigmacBackend } from './backends/sigmac';
import { buildPlan } from './backends/plan';
import { QUERY_TARGETS, convertQuery, type QueryTarget } from './backends/query';
import { WINDOWS_MAPPING, type LogsourceMapping } from './logsource/mapping';
import type { FieldResolution, MatcherPlan } from './plan/types';
import * as path from 'node:path';
import { scan, type ScanOptions, type ScanSummary } from './scan';
import type { WorkerPayload } from './engine/worker-entry';
import type { EngineOptions } from './engine/rule-set-matcher';

export interface LoadedRule {
  readonly rule: SigmaRule;
  readonly lines: LineIndex;
}

export interface RuleSet {
  readonly rules: readonly LoadedRule[];
  readonly correlations: readonly SigmaCorrelation[];
  readonly diagnostics: readonly Diagnostic[];
  /** Source text by file, for rendering diagnostics with an excerpt. */
  readonly sources: ReadonlyMap<string, string>;
}

export function loadRuleSet(files: readonly RuleFileText[]): RuleSet {
  const rules: LoadedRule[] = [];
  const correlations: SigmaCorrelation[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const f of files) {
    sources.set(f.file, f.text);
    const lines = new LineIndex(f.file, f.text);
    const loaded = loadRuleText(f.file, f.text);
    diagnostics.push(...loaded.diagnostics);
    for (const doc of loaded.documents) {
      if (doc.kind === 'rule') rules.push({ rule: doc, lines });
      else correlations.push(doc);
    }
  }
  return { rules, correlations, diagnostics, sources };
}

export type Target = 'grep' | 'ir' | 'plan' | QueryTarget;
export const TARGETS: readonly Target[] = ['grep', 'plan', ...QUERY_TARGETS];
export type Dialect = 'default' | 'sigmac';

export interface ConvertOptions extends CompileOptions {
  readonly target: Target;
  readonly dialect: Dialect;
  readonly fields: GrepFields;
  readonly format: GrepFormat;
}

export interface ConvertedRule {
  readonly rule: SigmaRule;
  /** The target's text; absent when the rule was rejected. */
  readonly output?: string;
  readonly compiled?: CompiledRule;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileLoadedRule(r: LoadedRule, options: CompileOptions = {}): CompiledRule {
  return compileRule(r.rule, r.lines, options);
}

export function convertRule(r: LoadedRule, options: ConvertOptions): ConvertedRule {
  if (options.dialect === 'sigmac') return convertSigmacDialect(r, options);
  const compiled = compileLoadedRule(r, options);
  if (!compiled.ir || hasErrors(compiled.diagnostics)) return { rule: r.rule, compiled, diagnostics: compiled.diagnostics };
  switch (options.target) {
    case 'ir':
      return { rule: r.rule, compiled, output: `${explainIr(compiled.ir)}\n`, diagnostics: compiled.diagnostics };
    case 'plan': {
      const built = buildPlan([{ rule: r.rule, ir: compiled.ir }], { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
      const problems = built.problems.map((p) => error(p.code, p.message, r.lines.position(p.offset), r.rule.title));
      if (problems.length > 0) return { rule: r.rule, compiled, diagnostics: [...compiled.diagnostics, ...problems] };
      return { rule: r.rule, compiled, output: `${JSON.stringify(built.plan, null, 2)}\n`, diagnostics: compiled.diagnostics };
    }
    default: {
      const rule = r.rule;
      const result = convertQuery(compiled.ir, options.target, {
        rule: { title: rule.title, ...(rule.id ? { id: rule.id } : {}), ...(rule.description ? { description: rule.description } : {}), ...(rule.level ? { level: rule.level } : {}), tags: rule.tags },
      });
      if (!result.ok) {
        const problems = result.problems.map((p) => error('QUERY_UNSUPPORTED', `${options.target} cannot express this: ${p.message}`, r.lines.position(p.offset), rule.title));
        return { rule, compiled, diagnostics: [...compiled.diagnostics, ...problems] };
      }
      const warnings = result.warnings.map((p) => warning('QUERY_APPROXIMATED', `${options.target}: ${p.message}`, r.lines.position(p.offset), rule.title));
      return { rule, compiled, output: `${result.output}\n`, diagnostics: [...compiled.diagnostics, ...warnings] };
    }
    case 'grep': {
      const result = compileGrep(compiled.ir, { fields: options.fields, format: options.format });
      if (result.ok) return { rule: r.rule, compiled, output: `${result.output}\n`, diagnostics: compiled.diagnostics };
      const diagnostics = [
        ...compiled.diagnostics,
        ...result.problems.map((p) => error('GREP_UNSUPPORTED', `grep (--fields ${options.fields}) cannot express this: ${p.message}`, r.lines.position(p.offset), r.rule.title)),
      ];
      return { rule: r.rule, compiled, diagnostics };
    }
  }
}

/** Legacy sigmac's own pipeline, bugs included, for users who need byte-identical output. */
function convertSigmacDialect(r: LoadedRule, options: ConvertOptions): ConvertedRule {
  const backend = (SIGMAC_BACKENDS as readonly string[]).includes(options.target) ? (options.target as SigmacBackend) : undefined;
  if (backend === undefined) {
    return {
      rule: r.rule,
      diagnostics: [error('SIGMAC_UNAVAILABLE', `--dialect sigmac has no output for target ${options.target}`, r.lines.position(r.rule.offset), r.rule.title)],
    };
  }
  const result = convertSigmac(r.rule, backend, r.lines.text);
  return { rule: r.rule, ...(result.output !== undefined ? { output: result.output } : {}), diagnostics: result.diagnostics };
}

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

/** The module each scanner worker loads: the engine, never the compiler. */
const WORKER_MODULE = path.join(__dirname, 'engine', 'worker-entry.js');

export interface PlanScanOptions extends Omit<ScanOptions, 'matcherModule' | 'plan'> {
  readonly engine?: EngineOptions;
}

/** Runs a matcher plan over inputs on worker threads; results go to the sinks, the summary is returned. */
export function scanWithPlan(plan: MatcherPlan, options: PlanScanOptions): Promise<ScanSummary> {
  const payload: WorkerPayload = { plan, engine: options.engine ?? {} };
  const { engine: _engine, ...scanOptions } = options;
  return scan({ ...scanOptions, matcherModule: WORKER_MODULE, plan: payload });
}
