/**
 * Rule model → IR. Each search identifier is lowered once (modifiers applied, values typed), then each
 * condition is parsed, its selectors resolved against the identifier names, and references replaced by
 * the identifiers' trees. Collects diagnostics and keeps going; a rule with any error yields no IR.
 */
import { error, warning, type Diagnostic, type LineIndex } from '../util/diagnostics';
import type { SigmaRule } from '../rule/types';
import type { YamlNode, YamlScalar } from '../rule/yaml-tree';
import { parseCondition } from '../rule/parse-condition';
import { resolveCondition } from '../rule/resolve-condition';
import type { ResolvedCondition } from '../rule/condition-types';
import { FLAG_MODIFIERS, applyModifier, finish, initialValue, isKnownModifier, type ChainValue } from './modifiers';
import type { IrNode } from './types';
import { and, not, or } from './build';

/** Keys of `detection` that are not search identifiers. */
const RESERVED_DETECTION_KEYS = new Set(['condition', 'timeframe']);

export interface LoweredDetection {
  /** Identifier name → its tree, in YAML order. Identifiers that failed to lower are absent. */
  readonly identifiers: ReadonlyMap<string, IrNode>;
  /** One tree per condition entry (a condition list gives several); `null` where it resolved to nothing. */
  readonly conditions: readonly (IrNode | null)[];
  readonly diagnostics: readonly Diagnostic[];
}

export function lowerDetection(rule: SigmaRule, lines: LineIndex): LoweredDetection {
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, message: string, offset: number, severity: 'error' | 'warning' = 'error') =>
    diagnostics.push((severity === 'error' ? error : warning)(code, message, lines.position(offset), rule.title));

  const identifiers = new Map<string, IrNode>();
  const names: string[] = [];
  for (const entry of rule.detection.entries) {
    if (RESERVED_DETECTION_KEYS.has(entry.key)) continue;
    names.push(entry.key);
    const node = lowerDefinition(entry.value, report);
    if (node) identifiers.set(entry.key, node);
  }

  const conditionNode = rule.detection.entries.find((e) => e.key === 'condition')?.value;
  const conditionScalars: YamlScalar[] = [];
  if (conditionNode?.kind === 'scalar' && typeof conditionNode.value === 'string') conditionScalars.push(conditionNode);
  else if (conditionNode?.kind === 'seq') {
    for (const item of conditionNode.items) {
      if (item.kind === 'scalar' && typeof item.value === 'string') conditionScalars.push(item);
      else report('CONDITION_INVALID', 'each condition must be a string', item.offset);
    }
  } else if (conditionNode) report('CONDITION_INVALID', 'the condition must be a string or a list of strings', conditionNode.offset);

  const conditions: (IrNode | null)[] = [];
  for (const scalar of conditionScalars) {
    const text = scalar.value as string;
    const base = scalar.offset + (scalar.quoted ? 1 : 0);
    const parsed = parseCondition(text);
    for (const p of parsed.problems) report(p.code, p.message, base + p.offset, p.severity);
    if (!parsed.ast || parsed.problems.some((p) => p.severity === 'error')) continue;
    const resolved = resolveCondition(parsed.ast, names);
    for (const p of resolved.problems) report(p.code, p.message, base + p.offset, p.severity);
    if (resolved.problems.some((p) => p.severity === 'error')) continue;
    conditions.push(resolved.tree ? substitute(resolved.tree, identifiers) : null);
  }
  return { identifiers, conditions, diagnostics };
}

function substitute(tree: ResolvedCondition, identifiers: ReadonlyMap<string, IrNode>): IrNode {
  switch (tree.kind) {
    case 'and':
      return and(tree.args.map((a) => substitute(a, identifiers)));
    case 'or':
      return or(tree.args.map((a) => substitute(a, identifiers)));
    case 'not':
      return not(substitute(tree.arg, identifiers));
    case 'ref':
      // An identifier that failed to lower was reported; stand in with false so the tree stays whole.
      return identifiers.get(tree.name) ?? { kind: 'const', value: false };
  }
}

type Report = (code: string, message: string, offset: number, severity?: 'error' | 'warning') => void;

function lowerDefinition(node: YamlNode, report: Report): IrNode | undefined {
  switch (node.kind) {
    case 'map': {
      if (node.entries.length === 0) {
        report('DETECTION_INVALID', 'a search identifier must not be an empty map', node.offset);
        return undefined;
      }
      const parts: IrNode[] = [];
      let failed = false;
      for (const e of node.entries) {
        const lowered = lowerEntry(e.key, e.keyOffset, e.value, report);
        if (lowered) parts.push(lowered);
        else failed = true;
      }
      return failed ? undefined : and(parts);
    }
    case 'seq': {
      if (node.items.length === 0) {
        report('DETECTION_INVALID', 'a search identifier must not be an empty list', node.offset);
        return undefined;
      }
      const parts: IrNode[] = [];
      let failed = false;
      for (const item of node.items) {
        const lowered = item.kind === 'scalar' ? lowerValues(null, [], [item], report) : lowerDefinition(item, report);
        if (lowered) parts.push(lowered);
        else failed = true;
      }
      return failed ? undefined : or(parts);
    }
    case 'scalar':
      if (node.value === null) {
        report('DETECTION_INVALID', 'a search identifier must be a map, a list or a keyword, not null', node.offset);
        return undefined;
      }
      return lowerValues(null, [], [node], report);
  }
}

function lowerEntry(key: string, keyOffset: number, value: YamlNode, report: Report): IrNode | undefined {
  const [fieldText, ...modifiers] = key.split('|');
  const field = fieldText === '' ? null : (fieldText ?? null);
  let offset = keyOffset + (fieldText ?? '').length + 1;
  let failed = false;
  for (const m of modifiers) {
    if (!isKnownModifier(m)) {
      report('MODIFIER_UNKNOWN', `unknown modifier "${m}"`, offset);
      failed = true;
    }
    offset += m.length + 1;
  }
  if (failed) return undefined;
  let values: YamlScalar[];
  if (value.kind === 'scalar') values = [value];
  else if (value.kind === 'seq') {
    // An empty list means the field is null (pySigma does the same).
    if (value.items.length === 0) return { kind: 'test', field, test: { kind: 'null' }, offset: value.offset };
    values = [];
    for (const item of value.items) {
      if (item.kind !== 'scalar') {
        report('DETECTION_INVALID', 'a value list may only contain plain values', item.offset);
        return undefined;
      }
      values.push(item);
    }
  } else {
    report('DETECTION_INVALID', `the value of "${key}" must be a plain value or a list, not a map`, value.offset);
    return undefined;
  }
  return lowerValues(field, modifiers, values, report);
}

function lowerValues(field: string | null, modifiers: readonly string[], values: readonly YamlScalar[], report: Report): IrNode | undefined {
  const all = modifiers.includes('all');
  const neq = modifiers.includes('neq');
  const chain = modifiers.filter((m) => !(FLAG_MODIFIERS as readonly string[]).includes(m));
  const nodes: IrNode[] = [];
  for (const scalar of values) {
    if (field === null && scalar.value === null) {
      report('DETECTION_INVALID', 'a keyword must not be null', scalar.offset);
      return undefined;
    }
    let v: ChainValue = initialValue(scalar.value);
    for (let i = 0; i < chain.length; i++) {
      const r = applyModifier(chain[i]!, v, i, field);
      if (!r.ok) {
        report(r.problem.code, r.problem.message, scalar.offset);
        return undefined;
      }
      v = r.value;
    }
    const done = finish(v);
    if ('problem' in done) {
      report(done.problem.code, done.problem.message, scalar.offset);
      return undefined;
    }
    if (done.tests.length === 0) continue;
    const leaves: IrNode[] = done.tests.map((test) => ({ kind: 'test', field, test, offset: scalar.offset }));
    const node = or(leaves);
    nodes.push(done.negate ? not(node) : node);
  }
  const combined = all ? and(nodes) : or(nodes);
  return neq ? not(combined) : combined;
}
