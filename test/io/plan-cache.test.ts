import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLAN_CACHE_ENTRIES, planCacheKey, readPlanCache, writePlanCache } from '../../src/io/plan-cache';
import { PLAN_IN_WORKER_BYTES, planRuleFiles } from '../../src/api/plan-off-thread';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { PROJECT_ROOT } from '../support/shared';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-cache-'));
const files = [
  { file: 'a.yml', text: 'title: A' },
  { file: 'b.yml', text: 'title: B' },
];

test('the key changes with any rule path, rule text or option, and only then', (t) => {
  const key = planCacheKey(files, { fieldResolution: 'sigma' });
  t.is(planCacheKey(files, { fieldResolution: 'sigma' }), key);
  t.not(planCacheKey([files[0]!, { ...files[1]!, text: 'title: B2' }], { fieldResolution: 'sigma' }), key);
  t.not(planCacheKey([files[0]!, { ...files[1]!, file: 'c.yml' }], { fieldResolution: 'sigma' }), key);
  t.not(planCacheKey([files[1]!, files[0]!], { fieldResolution: 'sigma' }), key, 'order is rule order');
  t.not(planCacheKey(files, { fieldResolution: 'keys' }), key);
  // Lengths delimit the parts: moving text between path and body is another key.
  t.not(planCacheKey([{ file: 'ab', text: 'c' }], {}), planCacheKey([{ file: 'a', text: 'bc' }], {}));
});

test('entries round-trip, a damaged entry reads as absent, and only the most recent are kept', (t) => {
  const dir = tempDir();
  t.is(readPlanCache(dir, 'f'.repeat(64)), undefined);
  t.is(writePlanCache(dir, 'a'.repeat(64), { x: 1 }), undefined);
  t.deepEqual(readPlanCache(dir, 'a'.repeat(64)), { x: 1 });
  fs.writeFileSync(path.join(dir, `${'b'.repeat(64)}.json`), '{"format":');
  t.is(readPlanCache(dir, 'b'.repeat(64)), undefined);
  for (let i = 0; i < PLAN_CACHE_ENTRIES + 3; i++) writePlanCache(dir, i.toString(16).padStart(64, 'c'), { i });
  t.is(fs.readdirSync(dir).length, PLAN_CACHE_ENTRIES);
  t.deepEqual(readPlanCache(dir, (PLAN_CACHE_ENTRIES + 2).toString(16).padStart(64, 'c')), { i: PLAN_CACHE_ENTRIES + 2 }, 'the newest is kept');
});

test('an unwritable cache directory is reported, not fatal', (t) => {
  const dir = tempDir();
  const blocker = path.join(dir, 'file');
  fs.writeFileSync(blocker, '');
  t.regex(writePlanCache(path.join(blocker, 'sub'), 'a'.repeat(64), {}) ?? '', /ENOTDIR|EEXIST|not a directory/i);
});

test('a large rule set is planned once, then read from the cache', async (t) => {
  const dir = tempDir();
  const read = readRuleFiles([path.join(PROJECT_ROOT, 'rules')]);
  const large = read.files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n# ${'x'.repeat(PLAN_IN_WORKER_BYTES)}\n` } : f));
  const options = { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' as const, cacheDir: dir };
  const first = await planRuleFiles(large, options);
  t.is(fs.readdirSync(dir).length, 1, 'one entry written');
  const second = await planRuleFiles(large, options);
  t.deepEqual(second, first);
  // Proof that the second answer came from the entry: a planted entry is what comes back.
  const entry = path.join(dir, fs.readdirSync(dir)[0]!);
  const stored = JSON.parse(fs.readFileSync(entry, 'utf8')) as { value: { notes: string[] } };
  stored.value.notes = ['planted'];
  fs.writeFileSync(entry, JSON.stringify(stored));
  t.deepEqual((await planRuleFiles(large, options)).notes, ['planted']);
  // A small set is planned in this thread and never cached.
  await planRuleFiles(read.files, options);
  t.is(fs.readdirSync(dir).length, 1);
});
