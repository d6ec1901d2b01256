/**
 * The plan engine against the ground truth: for every SigmaHQ regression rule, the events the matcher plan
 * selects must be exactly those the reference evaluator selects (and so those grep selects, see
 * test/reference/differential.test.ts), over the regression events and a 20,000-line real-windows slice;
 * with the prefilter on and off, and with both prefilter engines.
 */
import test from 'ava';
import { readRuleFiles } from '../../src/io/rule-files';
import { compileLoadedRule, loadRuleSet } from '../../src/api';
import { buildPlan } from '../../src/backends/plan';
import { createRuleSetMatcher } from '../../src/engine/rule-set-matcher';
import { evaluate, prepareEvent } from '../../src/reference/evaluate';
import { nativePrefilterAvailability } from '../../src/engine/line-prefilter';
import type { IrNode } from '../../src/ir/types';
import { MISSING_SHARED, hasShared, sharedPath } from '../support/shared';
import { realWindowsSlice } from '../support/corpus';
import * as fs from 'node:fs';

/** Regression rules the plan refuses, with the reason (exactly these). */
const NOT_PLANNABLE: Record<string, string> = {};

if (!hasShared('corpora', 'sigma-regression', 'rules') || !hasShared('corpora', 'real-windows')) {
  test.skip(`plan engine vs reference evaluator: ${MISSING_SHARED}`, () => {});
} else {
  const set = loadRuleSet(readRuleFiles([sharedPath('corpora', 'sigma-regression', 'rules')]).files);
  const compiled = set.rules.map((r) => ({ rule: r.rule, ir: compileLoadedRule(r).ir })).filter((c): c is { rule: typeof c.rule; ir: IrNode } => c.ir !== undefined);
  const built = buildPlan(compiled, { mapping: null, fieldResolution: 'keys' });
  const corpora = [
    { name: 'sigma-regression events', lines: fs.readFileSync(sharedPath('corpora', 'sigma-regression', 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '') },
    { name: 'real-windows slice', lines: realWindowsSlice(0, 20_000) },
  ];
  const engines = nativePrefilterAvailability().kind === 'available' ? (['js', 'native'] as const) : (['js'] as const);

  test('every regression rule is planned', (t) => {
    t.deepEqual(
      built.problems.map((p) => p.rule.file),
      Object.keys(NOT_PLANNABLE),
    );
    t.is(built.plan.rules.length, compiled.length);
  });

  for (const corpus of corpora) {
    const prepared = corpus.lines.map((l) => prepareEvent({ kind: 'json', event: JSON.parse(l) }));
    const expected = new Set<string>();
    built.plan.rules.forEach((_, ri) => {
      const ir = compiled[ri]!.ir;
      prepared.forEach((e, li) => {
        if (evaluate(ir, e)) expected.add(`${ri}:${li}`);
      });
    });
    const bytes = Buffer.from(corpus.lines.join('\n') + '\n');
    for (const engine of engines) {
      for (const usePrefilter of [true, false]) {
        test(`plan (${engine} prefilter ${usePrefilter ? 'on' : 'off'}) = reference evaluator: ${corpus.name}`, (t) => {
          const matcher = createRuleSetMatcher(built.plan, { prefilterEngine: engine, usePrefilter });
          const result = matcher.matchChunk(bytes);
          t.is(result.lineCount, corpus.lines.length);
          t.is(result.evaluated, corpus.lines.length);
          t.deepEqual(result.unparsed, []);
          const got = new Set(result.detections.map((d) => `${d.rule}:${d.lineIndex}`));
          const missing = [...expected].filter((x) => !got.has(x));
          const extra = [...got].filter((x) => !expected.has(x));
          const describe = (xs: string[]) => xs.slice(0, 10).map((x) => `${built.plan.rules[Number(x.split(':')[0])]!.title} @ line ${Number(x.split(':')[1]) + 1}`);
          t.deepEqual(describe(missing), [], 'events the evaluator matches but the plan does not');
          t.deepEqual(describe(extra), [], 'events the plan matches but the evaluator does not');
          t.log(`${expected.size} detections`);
        });
      }
    }
  }
}

/**
 * The same agreement for the 2,279 SigmaHQ rules of the sigmac conformance set over the start of another
 * real-windows shard, where many rules do match.
 */
if (hasShared('conformance', 'sigmac', 'rules') && hasShared('corpora', 'real-windows')) {
  test('plan = reference evaluator: all sigmac conformance rules over 3,000 real events', (t) => {
    const set = loadRuleSet(readRuleFiles([sharedPath('conformance', 'sigmac', 'rules')]).files);
    const compiled = set.rules.map((r) => ({ rule: r.rule, ir: compileLoadedRule(r).ir })).filter((c): c is { rule: typeof c.rule; ir: IrNode } => c.ir !== undefined);
    const built = buildPlan(compiled, { mapping: null, fieldResolution: 'keys' });
    const planned = new Set(built.problems.map((p) => p.rule));
    const inPlan = compiled.filter((c) => !planned.has(c.rule));
    const lines = realWindowsSlice(3, 3_000);
    const prepared = lines.map((l) => prepareEvent({ kind: 'json', event: JSON.parse(l) }));
    const expected = new Set<string>();
    inPlan.forEach((c, ri) => prepared.forEach((e, li) => evaluate(c.ir, e) && expected.add(`${ri}:${li}`)));
    const result = createRuleSetMatcher(built.plan).matchChunk(Buffer.from(lines.join('\n') + '\n'));
    const got = new Set(result.detections.map((d) => `${d.rule}:${d.lineIndex}`));
    const diff = [...new Set([...expected, ...got])].filter((x) => expected.has(x) !== got.has(x));
    t.deepEqual(diff.slice(0, 10).map((x) => `${inPlan[Number(x.split(':')[0])]!.rule.file} @ ${Number(x.split(':')[1]) + 1}: ${expected.has(x) ? 'missed' : 'extra'}`), []);
    t.true(expected.size > 100, `${expected.size} detections`);
    t.log(`${inPlan.length} rules planned (${built.problems.length} refused: ${[...new Set(built.problems.map((p) => p.code))].join(', ')}), ${expected.size} detections`);
  });
}
