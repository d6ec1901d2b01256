import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN_IN_WORKER_BYTES, planInThisThread, planRuleFiles, splitBySize } from '../../src/api/plan-off-thread';
import { mergePlans } from '../../src/plan/merge-plans';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { MISSING_SHARED, PROJECT_ROOT, hasShared, sharedPath } from '../support/shared';

test('a large rule set is planned in a worker with the same result as in this thread', async (t) => {
  const read = readRuleFiles([path.join(PROJECT_ROOT, 'rules')]);
  // Pad one rule with a YAML comment so the set crosses the size at which planning moves to a worker.
  const padded = read.files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n# ${'x'.repeat(PLAN_IN_WORKER_BYTES)}\n` } : f));
  const bad = { file: 'bad.yml', text: 'title: Bad\nlogsource: {product: windows}\ndetection:\n    sel:\n        Image|nope: x\n    condition: sel\n' };
  const files = [...padded, bad];
  const options = { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' as const };
  const inWorker = await planRuleFiles(files, options);
  const here = planInThisThread({ files, mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
  t.deepEqual(inWorker.plan, here.plan);
  t.deepEqual(inWorker.notLoaded, here.notLoaded);
  t.is(inWorker.plan.rules.length, fs.readdirSync(path.join(PROJECT_ROOT, 'rules'), { recursive: true }).filter((f) => String(f).endsWith('.yml')).length);
  t.true(inWorker.diagnostics.some((d) => d.code === 'MODIFIER_UNKNOWN' && d.position?.file === 'bad.yml'));
  t.deepEqual(inWorker.sources.map(([f]) => f), ['bad.yml'], 'only the texts needed for excerpts come back');
});

test('splitBySize cuts files into contiguous runs of about equal size, never more runs than asked', (t) => {
  const files = [5, 1, 1, 1, 1, 1, 4, 2].map((n, i) => ({ file: `f${i}`, text: 'x'.repeat(n) }));
  const parts = splitBySize(files, 2);
  t.deepEqual(parts.flat(), files, 'every file once, in order');
  t.deepEqual(parts.map((p) => p.map((f) => f.file)), [['f0', 'f1', 'f2', 'f3'], ['f4', 'f5', 'f6', 'f7']], '8 bytes each');
  t.is(splitBySize(files, 1).length, 1);
  t.is(splitBySize(files.slice(0, 2), 5).length, 2, 'no empty runs');
  t.deepEqual(splitBySize([], 3), [[]]);
});

test('rule files planned in parts and merged give the plan of the whole set', (t) => {
  const dirs = [path.join(PROJECT_ROOT, 'rules')];
  if (hasShared('conformance', 'sigmac', 'rules')) dirs.push(sharedPath('conformance', 'sigmac', 'rules', 'windows', 'process_creation'));
  else t.log(MISSING_SHARED);
  const { files } = readRuleFiles(dirs);
  const plan = (part: typeof files) => planInThisThread({ files: part, mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' }).plan;
  const whole = plan(files);
  for (const count of [2, 3, 7]) {
    const merged = mergePlans(splitBySize(files, count).map(plan));
    t.deepEqual(merged, whole, `${count} parts`);
  }
  t.true(whole.rules.length >= 6);
});
