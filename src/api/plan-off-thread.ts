/** Planning rule files for a scan: the same result as planRuleSet, and for large rule sets less memory kept. */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../util/diagnostics';
import type { LogsourceMapping } from '../logsource/mapping';
import type { FieldResolution, MatcherPlan } from '../plan/types';
import type { RuleFileText } from '../io/rule-files';
import { mergePlans } from '../plan/merge-plans';
import { planCacheKey, readPlanCache, writePlanCache } from '../io/plan-cache';
import { planRuleSet, type NotLoadedRule, type RulePlanOptions } from './plan-and-scan';
import { loadRuleSet } from './rule-set';

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

/**
 * Plans rule files: in this thread for small rule sets, else in short-lived workers whose heaps (and with
 * them the YAML trees and IR of every rule) are gone when they return. A large set is cut into contiguous
 * parts planned side by side, one per core, and the plans merged: the same plan, in about half the time
 * on two cores (planning 2,400 SigmaHQ rules is mostly YAML parsing and takes seconds).
 */
export interface PlanFilesOptions extends RulePlanOptions {
  /** Directory of the plan cache (src/io/plan-cache.ts) for large rule sets; undefined plans every time. */
  readonly cacheDir?: string | undefined;
}

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
  const planned = await planInParallel(input, files, bytes);
  if (cacheDir !== undefined) {
    const failed = writePlanCache(cacheDir, key, planned);
    if (failed !== undefined) return { ...planned, cacheProblem: `plan cache not written: ${failed}` };
  }
  return planned;
}

async function planInParallel(input: PlannerInput, files: readonly RuleFileText[], bytes: number): Promise<PlannerOutput> {
  const parts = splitBySize(files, Math.min(os.availableParallelism(), Math.ceil(bytes / PLAN_IN_WORKER_BYTES)));
  const outputs = await Promise.all(parts.map((part) => planInWorker({ ...input, files: part })));
  return mergeOutputs(outputs);
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

/** At most `count` contiguous runs of files of about equal text size (file order is rule order). */
export function splitBySize<T extends { readonly text: string }>(files: readonly T[], count: number): T[][] {
  const total = files.reduce((n, f) => n + f.text.length, 0);
  const parts: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const f of files) {
    current.push(f);
    size += f.text.length;
    if (size >= (total * (parts.length + 1)) / count && parts.length < count - 1) {
      parts.push(current);
      current = [];
    }
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}

function mergeOutputs(outputs: readonly PlannerOutput[]): PlannerOutput {
  if (outputs.length === 1) return outputs[0]!;
  return {
    plan: mergePlans(outputs.map((o) => o.plan)),
    notLoaded: outputs.flatMap((o) => o.notLoaded),
    notes: outputs.flatMap((o) => o.notes),
    diagnostics: outputs.flatMap((o) => o.diagnostics),
    sources: outputs.flatMap((o) => o.sources),
  };
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
    const worker = new Worker(path.join(__dirname, 'planner-worker.js'), {
      workerData: input,
      ...(heapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    let result: PlannerOutput | undefined;
    worker.once('message', (m: PlannerOutput) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the rule planner stopped (exit code ${code})`))));
  });
}
