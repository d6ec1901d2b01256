/**
 * Matching in the main thread (`mainThread: true`) must report exactly what workers report: detections,
 * unparsed lines, order, summary, failures; results are copies, as a worker's are.
 */
import test from 'ava';
import * as path from 'node:path';
import { loadRuleSet, planRuleSet, scanWithPlan } from '../../src/api';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import type { PlanScanOptions } from '../../src/api';
import { spawnWorkers } from '../../src/scan/worker-pool';
import { MATCHER, PLAN, recorder, run, tempTree, type Recorded } from './helpers';
import { CHUNK_BYTES, EVIL_RULE, manyEvents, multiChunkEvtx } from './evtx-fixtures';

const CONTENT = `alpha\n{"x":1}\n{bad\n\n  \nbeta gamma\n${'alpha beta {\n'.repeat(40)}{"alpha": [1, 2]}\nlast gamma`;

/** What must not depend on where the matching ran. */
function essence(r: Recorded): unknown {
  return { detections: r.detections, unparsed: r.unparsed, order: r.order, files: r.files, summary: { ...r.summary, elapsedMs: 0 } };
}

test('the same report as workers, with one chunk or many', async (t) => {
  const dir = tempTree({ 'a.log': CONTENT, 'b.log': 'gamma\n', 'empty.log': '' });
  for (const chunkBytes of [64, 1 << 20]) {
    const inputs = ['a.log', 'missing.log', 'b.log', 'empty.log'];
    const workers = await run({ inputs, cwd: dir, chunkBytes });
    const here = await run({ inputs, cwd: dir, chunkBytes, threads: undefined, mainThread: true });
    t.deepEqual(essence(here), essence(workers), `chunkBytes ${chunkBytes}`);
    t.true(here.detections.length > 80);
  }
});

test('results are copied out of the matcher, as they are out of a worker', async (t) => {
  const dir = tempTree({ 'a.log': CONTENT });
  const plan = { ...PLAN, reuseResults: true };
  const workers = await run({ inputs: ['a.log'], cwd: dir, plan });
  const here = await run({ inputs: ['a.log'], cwd: dir, plan, threads: undefined, mainThread: true });
  t.deepEqual(essence(here), essence(workers));
});

test('a matcher that throws, or cannot be built, is reported as on a worker', async (t) => {
  const dir = tempTree({ 'a.log': `alpha\n${'beta\n'.repeat(30)}BOOM\n${'gamma\n'.repeat(30)}`, 'b.log': 'alpha\n' });
  const cases = [{ plan: { ...PLAN, throwOn: 'BOOM' } }, { plan: { ...PLAN, failInit: true } }, { matcherModule: path.join(dir, 'no-such-module.js') }];
  for (const c of cases) {
    const workers = await run({ inputs: ['a.log', 'b.log'], cwd: dir, ...c });
    const here = await run({ inputs: ['a.log', 'b.log'], cwd: dir, ...c, threads: undefined, mainThread: true });
    t.deepEqual(here.issues.map((i) => i.code), workers.issues.map((i) => i.code), JSON.stringify(c));
    t.true(here.issues.length === 1 && here.issues[0]!.severity === 'error');
    t.deepEqual({ ...here.summary, elapsedMs: 0, issues: [] }, { ...workers.summary, elapsedMs: 0, issues: [] });
  }
});

test('mainThread takes neither threads nor workers', async (t) => {
  await t.throwsAsync(run({ inputs: [], mainThread: true }), { instanceOf: RangeError }, 'run() asks for 2 threads');
  const workers = spawnWorkers(1, MATCHER);
  await t.throwsAsync(run({ inputs: [], threads: undefined, workers, mainThread: true }), { instanceOf: RangeError });
  await t.throwsAsync(workers.start(PLAN), { message: /already/ }, 'the refused workers were stopped');
});

test('EVTX blocks are decoded and matched in this thread as on a worker (real engine)', async (t) => {
  const events = manyEvents(120, 7);
  const dir = tempTree({ 'sec.evtx': multiChunkEvtx(events, 40) });
  const plan = planRuleSet(loadRuleSet([{ file: 'evil.yml', text: EVIL_RULE }]), { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' }).plan;
  const scanned = async (options: Partial<PlanScanOptions>): Promise<Recorded> => {
    const rec = recorder();
    const summary = await scanWithPlan(plan, { inputs: ['sec.evtx'], cwd: dir, chunkBytes: CHUNK_BYTES, sinks: [rec.sink], ...options });
    return { summary, ...rec };
  };
  const workers = await scanned({ threads: 2 });
  const here = await scanned({ mainThread: true });
  t.deepEqual(essence(here), essence(workers));
  t.true(here.detections.length > 5);
  t.is(here.summary.evtx?.chunks, 3);
});
