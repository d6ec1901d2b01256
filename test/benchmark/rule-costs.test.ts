import test from 'ava';
import { reasonShares, ruleCosts } from '../../src/benchmark';
import type { MatcherProfile } from '../../src/engine/rule-set-matcher';
import { PLAN_FORMAT, PLAN_VERSION, type MatcherPlan } from '../../src/plan/types';

const plan: MatcherPlan = {
  format: PLAN_FORMAT,
  version: PLAN_VERSION,
  fieldResolution: 'sigma',
  literals: ['needle'],
  leaves: [
    { field: 'Image', kind: 'suffix', value: '\\needle.exe', cased: false },
    { field: null, kind: 'contains', value: 'x', cased: false },
  ],
  rules: [
    { id: 'a', title: 'A', level: 'low', tags: [], file: 'a.yml', condition: { leaf: 0 }, prefilter: [[0]], unlessKeys: [] },
    { id: 'b', title: 'B', level: 'low', tags: [], file: 'b.yml', condition: { not: { leaf: 1 } }, prefilter: [], unlessKeys: [] },
  ],
};

function profile(nanos: readonly number[]): MatcherProfile {
  return { lines: 100, parsedLines: 100, gatedLines: 0, prefilterNanos: 5, parseNanos: 7, rules: nanos.map((n, i) => ({ evaluated: i === 0 ? 2 : 100, matched: 1, nanos: n })) };
}

test('per-rule figures follow from the profile and the totals', (t) => {
  const costs = ruleCosts({ plan, profile: profile([300, 100]), events: 100, bytes: 2e6 });
  t.deepEqual(costs.map((c) => c.title), ['A', 'B']);
  const [a, b] = costs;
  t.is(a!.share, 0.75);
  t.is(b!.share, 0.25);
  t.is(a!.nanosPerEvent, 3);
  t.is(a!.nanosPerEvaluation, 150);
  t.is(a!.nanosPerMB, 150);
  t.is(a!.passRate, 0.02);
  t.deepEqual(a!.reasons, []);
  t.deepEqual(b!.reasons.map((r) => r.kind), ['no-literal', 'keyword']);
  t.deepEqual(reasonShares(costs), [
    { kind: 'no-literal', rules: 1, share: 0.25 },
    { kind: 'keyword', rules: 1, share: 0.25 },
    { kind: 'none', rules: 1, share: 0.75 },
  ]);
});

test('with no measurable time the shares still sum to 1; with no events nothing divides by zero', (t) => {
  const costs = ruleCosts({ plan, profile: profile([0, 0]), events: 0, bytes: 0 });
  t.is(costs.reduce((n, c) => n + c.share, 0), 1);
  for (const c of costs) {
    t.is(c.passRate, 0);
    t.is(c.nanosPerEvent, 0);
    t.is(c.nanosPerMB, 0);
  }
});
