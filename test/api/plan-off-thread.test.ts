import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN_IN_WORKER_BYTES, planInThisThread, planRuleFiles } from '../../src/api/plan-off-thread';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { PROJECT_ROOT } from '../support/shared';

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

