/**
 * Workers spawned before their plan: handed to scan(), started once, cancelled, failing while they load; and
 * the calling thread matching ranges as one of the threads (inThread).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
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

/** Which threads made the detections: the literal matcher names its thread (threadId, 0 for the main one) when built with slowInit. */
function threadsOf(r: { detections: readonly { event: unknown }[] }): Set<number> {
  return new Set(r.detections.map((d) => (d.event as { thread: number }).thread));
}

const THREAD_NAMING_PLAN = (): typeof PLAN => ({ ...PLAN, slowInit: { ms: 0, initTicket: new SharedArrayBuffer(4) } });

test('in thread: one worker fewer is spawned, the calling thread matches ranges, and the scan reports what workers alone report', async (t) => {
  const big = `${CONTENT}${'alpha beta\n{"n":1}\n'.repeat(2000)}`;
  const dir = tempTree({ 'a.log': big, 'b.log': CONTENT });
  const options = { inputs: ['a.log', 'b.log'], cwd: dir, threads: undefined, plainFileReader: 'workers' as const, chunkBytes: 256 };
  const alone = await run({ ...options, workers: spawnWorkers(2, MATCHER) });
  const pending = spawnWorkers(2, MATCHER, true);
  t.is(pending.threads, 2);
  t.true(pending.inThread);
  const mixed = await run({ ...options, workers: pending });
  t.deepEqual(mixed.detections, alone.detections);
  t.deepEqual(mixed.unparsed, alone.unparsed);
  t.deepEqual(mixed.order, alone.order);
  t.deepEqual({ ...mixed.summary, elapsedMs: 0 }, { ...alone.summary, elapsedMs: 0 });
  const named = await run({ ...options, plan: THREAD_NAMING_PLAN(), workers: spawnWorkers(2, MATCHER, true) });
  t.true(threadsOf(named).has(0), 'the calling thread, ready first, matched ranges');
  const one = spawnWorkers(1, MATCHER, true);
  t.false(one.inThread, 'one thread: a worker (the calling thread also reads and reports)');
  await one.cancel();
});

test('in thread: buffered chunks (gzip) go to the workers only', async (t) => {
  const dir = tempTree({ 'a.log.gz': gzipSync(CONTENT.repeat(20)) });
  const r = await run({ inputs: ['a.log.gz'], cwd: dir, threads: undefined, chunkBytes: 256, plan: THREAD_NAMING_PLAN(), workers: spawnWorkers(2, MATCHER, true) });
  t.is(r.summary.detections, 20 * (1 + 1 + 1 + 100));
  t.false(threadsOf(r).has(0), 'no chunk was matched in the calling thread');
});

test('in thread: a matcher that cannot be built here fails the start and stops the workers', async (t) => {
  const dir = tempTree({ 'a.log': 'alpha\n' });
  const rec = recorder();
  const summary = await scan({ inputs: ['a.log'], cwd: dir, matcherModule: MATCHER, plan: { ...PLAN, failInit: true }, workers: spawnWorkers(2, MATCHER, true), sinks: [rec.sink] });
  t.deepEqual(rec.issues.map((i) => i.code), ['MATCHER_INIT_FAILED']);
  t.regex(rec.issues[0]?.message ?? '', /failInit requested/);
  t.deepEqual(summary.files.skipped.map((s) => s.file), ['a.log']);
});

test('workers spawned and never started nor cancelled do not keep the process alive', (t) => {
  const pool = path.join(__dirname, '..', '..', 'src', 'scan', 'worker-pool.js');
  const code = `const { spawnWorkers } = require(${JSON.stringify(pool)}); spawnWorkers(2, ${JSON.stringify(MATCHER)}); spawnWorkers(2, ${JSON.stringify(MATCHER)}, true);`;
  const r = spawnSync(process.execPath, ['-e', code], { timeout: 20_000, encoding: 'utf8' });
  t.is(r.signal, null, 'the process ended by itself (not killed at the timeout)');
  t.is(r.status, 0, r.stderr);
});

test('in thread: a matcher that throws on a range there ends the scan with MATCHER_FAILED, as on a worker', async (t) => {
  const dir = tempTree({ 'a.log': `alpha\nBOOM\n${'beta\n'.repeat(500)}`, 'b.log': 'gamma\n' });
  const r = await run({ inputs: ['a.log', 'b.log'], cwd: dir, threads: undefined, plainFileReader: 'workers', plan: { ...PLAN, throwOn: 'BOOM' }, workers: spawnWorkers(2, MATCHER, true) });
  const failed = r.issues.find((i) => i.code === 'MATCHER_FAILED');
  t.is(failed?.file, 'a.log');
  t.regex(failed?.message ?? '', /fixture: throwOn/);
  t.deepEqual(r.summary.fileReports.map((f) => [f.file, f.status]), [
    ['a.log', 'partial'],
    ['b.log', 'skipped'],
  ]);
});
