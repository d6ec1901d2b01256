/**
 * The plan backend: compiled rules → one MatcherPlan for the whole rule set. Leaves are deduplicated
 * across rules, each rule's logsource becomes a gate (with field renames per branch), and each rule gets
 * its prefilter literal set. Pure; a rule that cannot be planned is listed as not loaded, with the reason.
 */
import { and, or } from '../../ir/build';
import { simplify } from '../../ir/simplify';
import { assertNever, type IrNode, type TestNode } from '../../ir/types';
import { renameFields, resolveLogsource, type LogsourceMapping } from '../../logsource/mapping';
import type { SigmaRule } from '../../rule/types';
import { PLAN_FORMAT, PLAN_VERSION, type FieldResolution, type MatcherPlan, type PlanLeaf, type PlanNode, type PlanRule } from '../../plan/types';
import { classifyLeaf } from './classify-leaf';
import { literalFrequencyModel } from './literal-frequency';
import { requiredAbsentKeys, requiredLiterals, safeLiteral } from './prefilter-literals';

export interface PlanInput {
  readonly rule: SigmaRule;
  readonly ir: IrNode;
}

export interface PlanOptions {
  /** The logsource mapping; `null` evaluates detections alone, on every event. */
  readonly mapping: LogsourceMapping | null;
  readonly fieldResolution: FieldResolution;
}

export interface PlanProblem {
  readonly rule: SigmaRule;
  readonly code: string;
  readonly message: string;
  /** Offset in the rule file of the construct concerned. */
  readonly offset: number;
}

export interface PlanNote {
  readonly rule: SigmaRule;
  readonly note: string;
}

export interface PlanResult {
  readonly plan: MatcherPlan;
  /** Rules left out of the plan, with why. */
  readonly problems: readonly PlanProblem[];
  /** Remarks about loaded rules (e.g. a logsource the mapping does not know: the rule sees every event). */
  readonly notes: readonly PlanNote[];
}

export function buildPlan(inputs: readonly PlanInput[], options: PlanOptions): PlanResult {
  const leaves: PlanLeaf[] = [];
  const leafIndex = new Map<string, number>();
  const literals: string[] = [];
  const literalIndex = new Map<string, number>();
  const rules: PlanRule[] = [];
  const problems: PlanProblem[] = [];
  const notes: PlanNote[] = [];
  const estimate = literalFrequencyModel(commonLiterals(options.mapping));

  const resolutions = new Map<string, ReturnType<typeof resolveLogsource>>();
  for (const { rule, ir } of inputs) {
    let tree = ir;
    if (options.mapping) {
      const lsKey = JSON.stringify(rule.logsource);
      let resolved = resolutions.get(lsKey);
      if (!resolved) resolutions.set(lsKey, (resolved = resolveLogsource(rule.logsource, options.mapping)));
      if (resolved.kind === 'mapped') tree = or(resolved.branches.map((b) => and([b.gate, renameFields(ir, b.rename)])));
      else {
        tree = and([resolved.gate, ir]);
        notes.push({ rule, note: `logsource ${JSON.stringify(rule.logsource)} is not in the mapping: the rule runs on ${resolved.description}` });
      }
    }
    tree = simplify(tree);
    const ruleLeaves: { key: string; leaf: PlanLeaf }[] = [];
    const failure = collectLeaves(tree, ruleLeaves);
    if (failure) {
      problems.push({ rule, code: failure.code, message: failure.message, offset: failure.offset });
      continue;
    }
    const condition = toPlanNode(tree, (test) => {
      const key = JSON.stringify(classifyOk(test));
      let i = leafIndex.get(key);
      if (i === undefined) {
        i = leaves.length;
        leaves.push(classifyOk(test));
        leafIndex.set(key, i);
      }
      return i;
    });
    const prefilter = requiredLiterals(tree, estimate).map((clause) =>
      clause.map((lit) => {
        let i = literalIndex.get(lit);
        if (i === undefined) {
          i = literals.length;
          literals.push(lit);
          literalIndex.set(lit, i);
        }
        return i;
      }),
    );
    rules.push({
      id: rule.id ?? '',
      title: rule.title,
      level: rule.level ?? '',
      tags: rule.tags,
      file: rule.file,
      condition,
      prefilter,
      unlessKeys: requiredAbsentKeys(tree),
    });
  }
  return {
    plan: { format: PLAN_FORMAT, version: PLAN_VERSION, fieldResolution: options.fieldResolution, literals, leaves, rules },
    problems,
    notes,
  };
}

/** Literals every event of a mapped source contains (its channel names): the frequency model floors them. */
function commonLiterals(mapping: LogsourceMapping | null): Set<string> {
  const out = new Set<string>();
  for (const channels of Object.values(mapping?.services ?? {})) {
    for (const c of channels) {
      const lit = safeLiteral(c);
      if (lit !== undefined) out.add(lit);
    }
  }
  return out;
}

function classifyOk(test: TestNode): PlanLeaf {
  const r = classifyLeaf(test);
  if (!r.ok) throw new Error(`internal: leaf was checked before: ${r.message}`);
  return r.leaf;
}

function collectLeaves(node: IrNode, out: { key: string; leaf: PlanLeaf }[]): { code: string; message: string; offset: number } | undefined {
  switch (node.kind) {
    case 'const':
      return undefined;
    case 'not':
      return collectLeaves(node.arg, out);
    case 'and':
    case 'or':
      for (const a of node.args) {
        const f = collectLeaves(a, out);
        if (f) return f;
      }
      return undefined;
    case 'test': {
      const r = classifyLeaf(node);
      if (!r.ok) return { code: r.code, message: r.message, offset: node.offset };
      out.push({ key: JSON.stringify(r.leaf), leaf: r.leaf });
      return undefined;
    }
    default:
      return assertNever(node);
  }
}

function toPlanNode(node: IrNode, leaf: (t: TestNode) => number): PlanNode {
  switch (node.kind) {
    case 'const':
      return { const: node.value };
    case 'not':
      return { not: toPlanNode(node.arg, leaf) };
    case 'and':
      return { and: node.args.map((a) => toPlanNode(a, leaf)) };
    case 'or':
      return { or: node.args.map((a) => toPlanNode(a, leaf)) };
    case 'test':
      return { leaf: leaf(node) };
    default:
      return assertNever(node);
  }
}
