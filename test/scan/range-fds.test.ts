/** A file read in ranges keeps its descriptor open only while its chunks are out: never after the scan, however it ends. */
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN, run, tempTree } from './helpers';

const FD_DIR = '/proc/self/fd';

/** Descriptors of this process open on `file`. */
function openOn(file: string): number {
  let n = 0;
  for (const fd of fs.readdirSync(FD_DIR)) {
    try {
      if (fs.readlinkSync(path.join(FD_DIR, fd)) === file) n++;
    } catch {
      // closed meanwhile (the directory's own descriptor)
    }
  }
  return n;
}

const lines = (n: number, every: string): string => Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `${every} ${i}` : `{"n":${i}}`)).join('\n') + '\n';

/** Runs `scan` and checks that the descriptors after it are those before it, and none on `files`. */
async function noLeak(t: ExecutionContext, files: readonly string[], scan: () => Promise<unknown>): Promise<void> {
  const before = fs.readdirSync(FD_DIR).length;
  await scan();
  for (const f of files) t.is(openOn(f), 0, `${f} still open`);
  t.is(fs.readdirSync(FD_DIR).length, before, 'descriptors before and after the scan');
}

if (!fs.existsSync(FD_DIR)) {
  test('descriptors are closed (needs /proc/self/fd)', (t) => {
    t.log('no /proc/self/fd here: descriptor counts not checked');
    t.pass();
  });
} else {
  test.serial('after a scan that ends well', async (t) => {
    const dir = tempTree({ 'a.log': lines(5000, 'alpha'), 'b.log': lines(300, 'beta'), 'bom.log': `\ufeff${lines(100, 'gamma')}` });
    const files = ['a.log', 'b.log', 'bom.log'].map((f) => path.join(dir, f));
    await noLeak(t, files, async () => {
      const r = await run({ plainFileReader: 'workers', inputs: ['a.log', 'missing.log', 'b.log', 'bom.log'], cwd: dir, chunkBytes: 1024 });
      t.is(r.summary.files.scanned, 3);
    });
  });

  test.serial('after a matcher that throws, with chunks of the file still in flight', async (t) => {
    const dir = tempTree({ 'a.log': `${lines(2000, 'alpha')}BOOM\n${lines(20_000, 'beta')}`, 'b.log': lines(10, 'gamma') });
    await noLeak(t, [path.join(dir, 'a.log'), path.join(dir, 'b.log')], async () => {
      const r = await run({ plainFileReader: 'workers', inputs: ['a.log', 'b.log'], cwd: dir, chunkBytes: 1024, maxChunksInFlight: 50, plan: { ...PLAN, throwOn: 'BOOM' } });
      t.true(r.issues.some((i) => i.code === 'MATCHER_FAILED'));
    });
  });

  test.serial('after a worker that crashes', async (t) => {
    const dir = tempTree({ 'a.log': `${lines(100, 'alpha')}CRASH\n${lines(20_000, 'beta')}` });
    await noLeak(t, [path.join(dir, 'a.log')], async () => {
      const r = await run({ plainFileReader: 'workers', inputs: ['a.log'], cwd: dir, threads: 1, chunkBytes: 1024, plan: { ...PLAN, crashOn: 'CRASH' } });
      t.true(r.issues.some((i) => i.code === 'MATCHER_FAILED' && /crashOn/.test(i.message)));
    });
  });

  test.serial('after a file that could not be read to its end', async (t) => {
    const dir = tempTree({ 'a.log': lines(100_000, 'alpha'), 'b.log': lines(10, 'beta') });
    const file = path.join(dir, 'a.log');
    let cut = false;
    const sink = { detections: (): void => void (cut || ((cut = true), fs.truncateSync(file, 1000))) };
    await noLeak(t, [file, path.join(dir, 'b.log')], async () => {
      const r = await run({ plainFileReader: 'workers', inputs: ['a.log', 'b.log'], cwd: dir, chunkBytes: 1024, sinks: [sink] });
      t.deepEqual(r.summary.fileReports.map((f) => f.status), ['partial', 'scanned']);
    });
  });

  test.serial('after a sink that throws', async (t) => {
    const dir = tempTree({ 'a.log': lines(50_000, 'alpha') });
    const sink = {
      detections: (): void => {
        throw new Error('sink failed');
      },
    };
    await noLeak(t, [path.join(dir, 'a.log')], async () => {
      await t.throwsAsync(run({ plainFileReader: 'workers', inputs: ['a.log'], cwd: dir, chunkBytes: 1024, sinks: [sink] }), { message: 'sink failed' });
    });
  });
}
