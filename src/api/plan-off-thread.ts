/** Planning rule files for a scan: the same result as planRuleSet, and for large rule sets less memory kept. */
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../util/diagnostics';
import type { LogsourceMapping } from '../logsource/mapping';
import type { FieldResolution, MatcherPlan } from '../plan/types';
import type { RuleFileText } from '../io/rule-files';
import { planCacheKey, readPlanCache, writePlanCache } from '../io/plan-cache';
import { planRuleSet, type NotLoadedRule, type RulePlanOptions } from './plan-and-scan';
import { loadRuleSet } from './rule-set';
import { entryPointFile } from '../util/code-location';

/**
 * The planner's heap cap: a tight heap makes V8 collect compile-time garbage early instead of growing the
 * process; 2,400 SigmaHQ rules need well under this.
 */
const PLANNER_HEAP_MB = 192;

export interface PlannerInput {
  readonly files: readonly RuleFileText[];
  readonly mapping: LogsourceMapping | null;
  readonly fieldResolution: FieldResolution;
  readonly placeholders?: readonly (readonly [string, readonly string[]])[];
}

export interface PlannerOutput {
  readonly plan: MatcherPlan;
  readonly notLoaded: readonly NotLoadedRule[];
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Source text of the files that have diagnostics, for excerpts. */
  readonly sources: readonly (readonly [string, string])[];
  /** Why the plan cache could not be written, when it could not (planning itself succeeded). */
  readonly cacheProblem?: string;
}

/** Rule text above which planning moves to a worker: below it, starting a worker costs more than it saves. */
export const PLAN_IN_WORKER_BYTES = 1 << 20;

export interface PlanFilesOptions extends RulePlanOptions {
  /** Directory of the plan cache (src/io/plan-cache.ts) for large rule sets; undefined plans every time. */
  readonly cacheDir?: string | undefined;
}

/**
 * Plans rule files: in this thread for small rule sets, else in a short-lived worker whose heap (and with it
 * the YAML trees and IR of every rule) is gone when it returns; a large set's plan is kept in the plan cache
 * when asked. (Planning parts of a large set in two workers and merging the plans was measured on two
 * cores: no faster, as the single planner's garbage collector already used the second core.)
 */
export async function planRuleFiles(files: readonly RuleFileText[], options: PlanFilesOptions): Promise<PlannerOutput> {
  const input: PlannerInput = {
    files,
    mapping: options.mapping,
    fieldResolution: options.fieldResolution,
    ...(options.placeholders ? { placeholders: [...options.placeholders] } : {}),
  };
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  if (bytes < PLAN_IN_WORKER_BYTES) return planInThisThread(input);
  const cacheDir = options.cacheDir;
  const key = cacheDir === undefined ? '' : planCacheKey(files, { mapping: input.mapping, fieldResolution: input.fieldResolution, placeholders: input.placeholders ?? null });
  if (cacheDir !== undefined) {
    const cached = readPlanCache<PlannerOutput>(cacheDir, key);
    if (cached) return cached;
  }
  const planned = await planInWorker(input);
  if (cacheDir !== undefined) {
    const failed = writePlanCache(cacheDir, key, planned);
    if (failed !== undefined) return { ...planned, cacheProblem: `plan cache not written: ${failed}` };
  }
  return planned;
}

async function planInWorker(input: PlannerInput): Promise<PlannerOutput> {
  try {
    return await runPlanner(input, PLANNER_HEAP_MB);
  } catch (e) {
    // A rule set too large for the tight heap is planned again without the cap.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
    return runPlanner(input, undefined);
  }
}

/** The planning itself, shared by this thread and the worker. */
export function planInThisThread(input: PlannerInput): PlannerOutput {
  const set = loadRuleSet(input.files);
  const planned = planRuleSet(set, {
    mapping: input.mapping,
    fieldResolution: input.fieldResolution,
    ...(input.placeholders ? { placeholders: new Map(input.placeholders) } : {}),
  });
  const withPosition = new Set(planned.diagnostics.map((d) => d.position?.file));
  return {
    plan: planned.plan,
    notLoaded: planned.notLoaded,
    notes: planned.notes,
    diagnostics: planned.diagnostics,
    sources: [...set.sources].filter(([file]) => withPosition.has(file)),
  };
}

function runPlanner(input: PlannerInput, heapMb: number | undefined): Promise<PlannerOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entryPointFile('planner-worker'), {
      workerData: input,
      ...(heapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    let result: PlannerOutput | undefined;
    worker.once('message', (m: PlannerOutput) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the rule planner stopped (exit code ${code})`))));
  });
}
