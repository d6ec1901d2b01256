/**
 * Loads, compiles and plans rules in a worker thread and sends back only plain data. Everything the
 * compiler builds (YAML trees, IR, per-rule diagnostics' texts) dies with the worker's heap, so the
 * scanning process does not carry it for the whole scan.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readRuleFiles } from '../io/rule-files';
import { loadRuleSet } from './rule-set';
import { planRuleSet, type RulePlanOptions } from './plan-and-scan';
import type { PlannerInput, PlannerOutput } from './plan-off-thread';

const input = workerData as PlannerInput;
const options: RulePlanOptions = {
  mapping: input.mapping,
  fieldResolution: input.fieldResolution,
  ...(input.placeholders ? { placeholders: new Map(input.placeholders) } : {}),
};
const read = readRuleFiles(input.paths);
const set = loadRuleSet(read.files);
const planned = planRuleSet(set, options);
const withPosition = new Set([...read.diagnostics, ...planned.diagnostics].map((d) => d.position?.file));
const output: PlannerOutput = {
  plan: planned.plan,
  notLoaded: planned.notLoaded,
  notes: planned.notes,
  readDiagnostics: read.diagnostics,
  diagnostics: planned.diagnostics,
  sources: [...set.sources].filter(([file]) => withPosition.has(file)),
};
parentPort!.postMessage(output);
