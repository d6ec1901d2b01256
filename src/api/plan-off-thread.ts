/** Planning a rule set in a short-lived worker (see planner-worker.ts): same result as planRuleSet, less memory kept. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../util/diagnostics';
import type { LogsourceMapping } from '../logsource/mapping';
import type { FieldResolution, MatcherPlan } from '../plan/types';
import type { NotLoadedRule, RulePlanOptions } from './plan-and-scan';

/**
 * The planner's heap cap: a tight heap makes V8 collect compile-time garbage early instead of growing the
 * process; 2,400 SigmaHQ rules need well under this.
 */
const PLANNER_HEAP_MB = 192;

export interface PlannerInput {
  readonly paths: readonly string[];
  readonly mapping: LogsourceMapping | null;
  readonly fieldResolution: FieldResolution;
  readonly placeholders?: readonly (readonly [string, readonly string[]])[];
}

export interface PlannerOutput {
  readonly plan: MatcherPlan;
  readonly notLoaded: readonly NotLoadedRule[];
  readonly notes: readonly string[];
  /** Problems reading the rule files (missing paths). */
  readonly readDiagnostics: readonly Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
  /** Source text of the files that have diagnostics, for excerpts. */
  readonly sources: readonly (readonly [string, string])[];
}

export async function planRuleFilesOffThread(paths: readonly string[], options: RulePlanOptions): Promise<PlannerOutput> {
  const input: PlannerInput = {
    paths,
    mapping: options.mapping,
    fieldResolution: options.fieldResolution,
    ...(options.placeholders ? { placeholders: [...options.placeholders] } : {}),
  };
  try {
    return await runPlanner(input, PLANNER_HEAP_MB);
  } catch (e) {
    // A rule set too large for the tight heap is planned again without the cap.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
    return runPlanner(input, undefined);
  }
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
