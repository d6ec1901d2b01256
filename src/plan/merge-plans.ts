/**
 * Several matcher plans → one, as if their rules had been planned together: rules keep their order, and
 * leaves and literals shared by the parts are stored once. Lets a large rule set be planned in parallel.
 */
import { PLAN_FORMAT, PLAN_VERSION, type MatcherPlan, type PlanLeaf, type PlanNode, type PlanRule } from './types';

export function mergePlans(parts: readonly MatcherPlan[]): MatcherPlan {
  const first = parts[0];
  if (!first) throw new RangeError('mergePlans needs at least one plan');
  for (const p of parts) {
    if (p.fieldResolution !== first.fieldResolution) throw new RangeError('plans with different field resolution cannot be merged');
  }
  const literals: string[] = [];
  const literalIds = new Map<string, number>();
  const leaves: PlanLeaf[] = [];
  const leafIds = new Map<string, number>();
  const rules: PlanRule[] = [];
  for (const part of parts) {
    const literalMap = part.literals.map((lit) => {
      let id = literalIds.get(lit);
      if (id === undefined) {
        literalIds.set(lit, (id = literals.length));
        literals.push(lit);
      }
      return id;
    });
    const leafMap = part.leaves.map((leaf) => {
      const key = JSON.stringify(leaf);
      let id = leafIds.get(key);
      if (id === undefined) {
        leafIds.set(key, (id = leaves.length));
        leaves.push(leaf);
      }
      return id;
    });
    const remap = (n: PlanNode): PlanNode => {
      if ('leaf' in n) return { leaf: leafMap[n.leaf]! };
      if ('const' in n) return n;
      if ('not' in n) return { not: remap(n.not) };
      if ('and' in n) return { and: n.and.map(remap) };
      return { or: n.or.map(remap) };
    };
    for (const r of part.rules) {
      rules.push({ ...r, condition: remap(r.condition), prefilter: r.prefilter.map((clause) => clause.map((l) => literalMap[l]!)) });
    }
  }
  return { format: PLAN_FORMAT, version: PLAN_VERSION, fieldResolution: first.fieldResolution, literals, leaves, rules };
}
