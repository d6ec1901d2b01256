/**
 * `sigrep bench`: a rule set's plan run once over a corpus in this thread with the engine's profiler on,
 * turned into per-rule costs, the slowest rules with their reasons, and for chosen rules the one-liner's
 * `grep -P` time beside the plan's on the same bytes. What a detection engineer runs before shipping.
 */
import * as path from 'node:path';
import { convertRule, planRuleSet, type LoadedRule, type RulePlan, type RulePlanOptions, type RuleSet } from '../api';
import type { PrefilterEngineChoice } from '../engine/line-prefilter';
import { resolvePrefilterEngine } from '../engine/line-prefilter';
import type { MatcherPlan, PlanRule } from '../plan/types';
import { expandInputs } from '../scan/expand-inputs';
import { grepCount, plainInputs } from './grep-compare';
import { reasonShares, ruleCosts } from './rule-costs';
import { singleThreadPass } from './single-thread-pass';
import { BENCH_REPORT_FORMAT, BENCH_REPORT_VERSION, type BenchReport, type GrepComparison, type RuleCost } from './types';

export const DEFAULT_TOP = 5;

export interface BenchOptions {
  /** Files, directories, globs (as for `sigrep scan`; stdin is not accepted: grep needs files). */
  readonly inputs: readonly string[];
  readonly cwd?: string;
  /** How many of the slowest rules to compare with grep by default (and to list). */
  readonly top?: number;
  /** Rules to compare with grep, by id, title or file; absent: the `top` slowest. */
  readonly grep?: readonly string[];
  /** Skip the grep comparisons. */
  readonly noGrep?: boolean;
  readonly grepCommand?: string;
  readonly prefilterEngine?: PrefilterEngineChoice;
}

export interface BenchResult {
  readonly report: BenchReport;
  /** The rule plan (its diagnostics and rules not loaded), for the caller to print. */
  readonly planned: RulePlan;
}

export class BenchInputError extends Error {}

export async function benchRules(set: RuleSet, planOptions: RulePlanOptions, options: BenchOptions): Promise<BenchResult> {
  const cwd = options.cwd ?? process.cwd();
  const planned = planRuleSet(set, planOptions);
  const files: string[] = [];
  const issues: string[] = [];
  for (const entry of await expandInputs(options.inputs, cwd)) {
    if (entry.kind === 'file') files.push(entry.path);
    else if (entry.kind === 'stdin') throw new BenchInputError('sigrep bench reads files, not stdin (grep needs the same files)');
    else issues.push(`${entry.issue.file ?? ''}: ${entry.issue.message}`);
  }
  const engine = options.prefilterEngine ?? 'auto';
  const pass = await singleThreadPass(planned.plan, files, { profile: true, prefilterEngine: engine, cwd });
  issues.push(...pass.issues);
  const rules = ruleCosts({ plan: planned.plan, profile: pass.profile, events: pass.events, bytes: pass.bytes });
  const ruleNanos = pass.profile.rules.reduce((n, r) => n + r.nanos, 0);
  const seconds = pass.wallNanos / 1e9;
  const top = options.top ?? DEFAULT_TOP;
  const grep = options.noGrep
    ? []
    : await compareWithGrep(set, planOptions, planned.plan, chooseRules(rules, top, options.grep), files, cwd, engine, options.grepCommand);
  const report: BenchReport = {
    format: BENCH_REPORT_FORMAT,
    version: BENCH_REPORT_VERSION,
    inputs: files,
    prefilterEngine: resolvePrefilterEngine(engine),
    totals: {
      files: pass.files,
      bytes: pass.bytes,
      lines: pass.lines,
      events: pass.events,
      parsedLines: pass.profile.parsedLines,
      gatedLines: pass.profile.gatedLines,
      emptyLines: pass.emptyLines,
      unparsedLines: pass.unparsedLines,
      tooLongLines: pass.tooLongLines,
      detections: pass.detections,
      wallNanos: pass.wallNanos,
      prefilterNanos: pass.profile.prefilterNanos,
      parseNanos: pass.profile.parseNanos,
      ruleNanos,
      otherNanos: Math.max(0, pass.wallNanos - pass.profile.prefilterNanos - pass.profile.parseNanos - ruleNanos),
      eventsPerSecond: seconds > 0 ? pass.events / seconds : 0,
      mbPerSecond: seconds > 0 ? pass.bytes / 1e6 / seconds : 0,
    },
    rules,
    byReason: reasonShares(rules),
    grep,
    notLoaded: planned.notLoaded,
    issues,
  };
  return { report, planned };
}

type Chosen = { readonly kind: 'rule'; readonly cost: RuleCost } | { readonly kind: 'unknown'; readonly name: string };

/** `--grep` names (id, title or file, case-insensitive) or, without them, the `top` slowest rules. */
function chooseRules(rules: readonly RuleCost[], top: number, names: readonly string[] | undefined): Chosen[] {
  if (names === undefined || names.length === 0) return rules.slice(0, top).map((cost) => ({ kind: 'rule', cost }));
  const out: Chosen[] = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const file = (f: string): boolean => {
      const lower = f.toLowerCase();
      return lower === n || path.basename(lower) === n || lower.endsWith(`/${n}`) || path.resolve(f).toLowerCase() === path.resolve(name).toLowerCase();
    };
    const hits = rules.filter((r) => (r.id !== '' && r.id.toLowerCase() === n) || r.title.toLowerCase() === n || file(r.file));
    if (hits.length === 0) out.push({ kind: 'unknown', name });
    else out.push(...hits.sort((a, b) => a.index - b.index).map((cost): Chosen => ({ kind: 'rule', cost })));
  }
  return out;
}

/** The loaded rule behind each plan rule (same file and title, in order). */
function loadedRules(set: RuleSet, plan: MatcherPlan): (LoadedRule | undefined)[] {
  const queue = new Map<string, LoadedRule[]>();
  for (const r of set.rules) {
    const key = `${r.rule.file}\u0000${r.rule.title}`;
    queue.set(key, [...(queue.get(key) ?? []), r]);
  }
  return plan.rules.map((r: PlanRule) => queue.get(`${r.file}\u0000${r.title}`)?.shift());
}

async function compareWithGrep(
  set: RuleSet,
  planOptions: RulePlanOptions,
  plan: MatcherPlan,
  chosen: readonly Chosen[],
  files: readonly string[],
  cwd: string,
  engine: PrefilterEngineChoice,
  grepCommand: string | undefined,
): Promise<GrepComparison[]> {
  if (chosen.length === 0 || files.length === 0) return [];
  const loaded = loadedRules(set, plan);
  const plain = await plainInputs(files, cwd);
  try {
    const out: GrepComparison[] = [];
    for (const c of chosen) {
      if (c.kind === 'unknown') {
        out.push({ kind: 'skipped', rule: { index: -1, id: '', title: c.name, file: '' }, reason: 'no loaded rule has this id, title or file name' });
        continue;
      }
      const rule = { index: c.cost.index, id: c.cost.id, title: c.cost.title, file: c.cost.file };
      const source = loaded[c.cost.index];
      if (!source) {
        out.push({ kind: 'skipped', rule, reason: 'the rule source was not found' });
        continue;
      }
      const converted = convertRule(source, { ...planOptions, target: 'grep', dialect: 'default', fields: 'json', format: 'regex' });
      if (converted.output === undefined) {
        const first = converted.diagnostics.find((d) => d.severity === 'error');
        out.push({ kind: 'skipped', rule, reason: `no grep one-liner: ${first ? `${first.code}: ${first.message}` : 'rejected'}` });
        continue;
      }
      const pattern = converted.output.replace(/\n$/, '');
      const grepped = grepCount(pattern, plain.files, grepCommand !== undefined ? { command: grepCommand } : {});
      if (grepped.kind === 'failed') {
        out.push({ kind: 'skipped', rule, reason: grepped.reason });
        continue;
      }
      // The rule alone, as `sigrep scan` would plan it, over the same plain bytes, without the profiler.
      const alone = planRuleSet({ rules: [source], correlations: [], diagnostics: [], sources: set.sources }, planOptions);
      const pass = await singleThreadPass(alone.plan, plain.files, { profile: false, prefilterEngine: engine, cwd });
      const differ = grepped.count !== pass.detections;
      out.push({
        kind: 'measured',
        rule,
        pattern,
        grepNanos: grepped.nanos,
        grepCount: grepped.count,
        planNanos: pass.wallNanos,
        planCount: pass.detections,
        speedup: pass.wallNanos > 0 ? grepped.nanos / pass.wallNanos : 0,
        ...(differ
          ? { note: 'counts differ: the one-liner has no logsource condition and reads only the flat `keys` field shape; the plan applies the logsource mapping and the Sigma field names' }
          : {}),
      });
    }
    return out;
  } finally {
    plain.dispose();
  }
}
