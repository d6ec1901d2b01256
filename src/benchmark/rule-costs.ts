/**
 * Measured profile + plan → per-rule costs, slowest first. Pure: the numbers are derived here once,
 * so the shares of all rules sum to 1 and per-event / per-MB figures use the same totals.
 */
import type { MatcherProfile } from '../engine/rule-set-matcher';
import type { MatcherPlan } from '../plan/types';
import { ruleLeaves, slowReasons } from './slow-reasons';
import type { ReasonShare, RuleCost } from './types';

export interface CostInputs {
  readonly plan: MatcherPlan;
  readonly profile: MatcherProfile;
  /** Events of the input (the denominator of the pass rate and of per-event costs). */
  readonly events: number;
  readonly bytes: number;
}

export function ruleCosts({ plan, profile, events, bytes }: CostInputs): RuleCost[] {
  const total = profile.rules.reduce((n, r) => n + r.nanos, 0);
  const mb = bytes / 1e6;
  const costs = plan.rules.map((rule, index): RuleCost => {
    const p = profile.rules[index] ?? { evaluated: 0, matched: 0, nanos: 0 };
    const passRate = events > 0 ? p.evaluated / events : 0;
    return {
      index,
      id: rule.id,
      title: rule.title,
      file: rule.file,
      level: rule.level,
      evaluated: p.evaluated,
      detections: p.matched,
      nanos: p.nanos,
      nanosPerEvent: events > 0 ? p.nanos / events : 0,
      nanosPerEvaluation: p.evaluated > 0 ? p.nanos / p.evaluated : 0,
      nanosPerMB: mb > 0 ? p.nanos / mb : 0,
      // With no measurable time at all, every rule gets an equal share so the shares still sum to 1.
      share: total > 0 ? p.nanos / total : 1 / plan.rules.length,
      passRate,
      leaves: ruleLeaves(rule.condition).size,
      reasons: slowReasons(plan, rule, passRate),
    };
  });
  return costs.sort((a, b) => b.nanos - a.nanos || a.index - b.index);
}

const REASON_ORDER: readonly ReasonShare['kind'][] = ['no-literal', 'common-literal', 'huge-expansion', 'leading-wildcard-regex', 'regex', 'keyword', 'none'];

/** Share of the rules' time by reason (`none`: rules with no reason), in a fixed order, empty groups left out. */
export function reasonShares(costs: readonly RuleCost[]): ReasonShare[] {
  return REASON_ORDER.map((kind): ReasonShare => {
    const group = costs.filter((c) => (kind === 'none' ? c.reasons.length === 0 : c.reasons.some((r) => r.kind === kind)));
    return { kind, rules: group.length, share: group.reduce((n, c) => n + c.share, 0) };
  }).filter((g) => g.rules > 0);
}
