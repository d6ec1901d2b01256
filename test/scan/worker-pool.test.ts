/** Workers spawned before their plan: handed to scan(), started once, cancelled, failing while they load. */
import test from 'ava';
import * as path from 'node:path';
import { scan } from '../../src/scan/scan';
import { spawnWorkers } from '../../src/scan/worker-pool';
import { MATCHER, PLAN, recorder, run, tempTree } from './helpers';

const CONTENT = `alpha\n{"x":1}\n{bad\n\nbeta gamma\n${'alpha beta\n'.repeat(50)}`;

test('a scan on workers spawned ahead reports exactly what a scan on its own workers reports', async (t) => {
  const dir = tempTree({ 'a.log': CONTENT, 'b.log': 'gamma\n' });
  const own = await run({ inputs: ['a.log', 'b.log'], cwd: dir });
  const ahead = await run({ inputs: ['a.log', 'b.log'], cwd: dir, threads: undefined, workers: spawnWorkers(2, MATCHER) });
  t.deepEqual(ahead.detections, own.detections);
  t.deepEqual(ahead.unparsed, own.unparsed);
  t.deepEqual(ahead.order, own.order);
  t.deepEqual({ ...ahead.summary, elapsedMs: 0 }, { ...own.summary, elapsedMs: 0 });
});

test('the scan starts on the first worker ready; a worker still building its matcher is not waited for', async (t) => {
  const dir = tempTree({ 'a.log': CONTENT });
  const plan = { ...PLAN, slowInit: { ms: 3000, initTicket: new SharedArrayBuffer(4) } };
  const r = await run({ inputs: ['a.log'], cwd: dir, plan, workers: spawnWorkers(2, MATCHER), threads: undefined });
  t.is(r.summary.detections, 1 + 1 + 1 + 100);
  const threads = new Set(r.detections.map((d) => (d.event as { thread: number }).thread));
  t.is(threads.size, 1, 'every chunk went to the worker that was ready');
});

test('the plan can follow long after the spawn', async (t) => {
  const dir = tempTree({ 'a.log': CONTENT });
  const workers = spawnWorkers(1, MATCHER);
  await new Promise((r) => setTimeout(r, 300));
  const r = await run({ inputs: ['a.log'], cwd: dir, threads: 1, workers });
  t.is(r.summary.detections, 1 + 1 + 1 + 100);
});

test('spawned workers are started or cancelled once', async (t) => {
  const workers = spawnWorkers(1, MATCHER);
  const start = await workers.start(PLAN);
  t.is(start.kind, 'ok');
  await workers.cancel(); // no-op: the pool owns them now
  await t.throwsAsync(workers.start(PLAN), { message: /already/ });
  if (start.kind === 'ok') await start.pool.close();
  const unused = spawnWorkers(2, MATCHER);
  await unused.cancel();
  await t.throwsAsync(unused.start(PLAN), { message: /already/ });
});

test('a scan refuses workers spawned for another thread count or module, and stops them', async (t) => {
  const mismatched = spawnWorkers(1, MATCHER);
  await t.throwsAsync(run({ inputs: [], threads: 2, workers: mismatched }), { instanceOf: RangeError });
  await t.throwsAsync(mismatched.start(PLAN), { message: /already/ }, 'cancelled by the refusing scan');
  const other = spawnWorkers(1, path.join(__dirname, 'fixtures', 'exit-on-load.js'));
  await t.throwsAsync(run({ inputs: [], threads: undefined, workers: other }), { instanceOf: RangeError });
});

test('a module that cannot load, or ends its worker while loading, fails the start instead of hanging', async (t) => {
  const dir = tempTree({ 'a.log': 'alpha\n' });
  for (const module of [path.join(dir, 'no-such-module.js'), path.join(__dirname, 'fixtures', 'exit-on-load.js')]) {
    const rec = recorder();
    const summary = await scan({ inputs: ['a.log'], cwd: dir, matcherModule: module, plan: PLAN, workers: spawnWorkers(2, module), sinks: [rec.sink] });
    t.deepEqual(rec.issues.map((i) => i.code), ['MATCHER_INIT_FAILED'], module);
    t.deepEqual(summary.files.skipped.map((s) => s.file), ['a.log']);
  }
});
