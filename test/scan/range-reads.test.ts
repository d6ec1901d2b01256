/**
 * A plain file scanned on workers is cut into ranges that the workers read themselves (or the scanning
 * thread, as one of the threads): it must report exactly what the same bytes report through a stream, survive a file that shrinks under it, and close
 * its descriptor whatever happens.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { lineCountsBalance } from '../../src/scan/accounting';
import { RangeReader } from '../../src/scan/read-range';
import type { Detection, ScanSink } from '../../src/scan/types';
import { seeded } from '../support/random';
import { MATCHER, PLAN, run, tempTree, type Recorded } from './helpers';
import { spawnWorkers } from '../../src/scan/worker-pool';

/** Random lines for the literal matcher: JSON, broken JSON, text, blanks, CRLF, lines longer than a chunk or the limit. */
function randomLog(rand: () => number, chunkBytes: number, maxLineBytes: number): Buffer {
  const words = ['alpha', 'beta', 'gamma', 'noise', 'é日', 'x'.repeat(9)];
  const text = (n: number): string => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
  const lines: string[] = [];
  const count = Math.floor(rand() * 60);
  for (let i = 0; i < count; i++) {
    const r = rand();
    let line: string;
    if (r < 0.1) line = '';
    else if (r < 0.15) line = ' \t';
    else if (r < 0.4) line = JSON.stringify({ n: i, msg: text(1 + Math.floor(rand() * 4)) });
    else if (r < 0.5) line = `{"broken": "${text(2)}"`;
    else if (r < 0.75) line = text(1 + Math.floor(rand() * 5));
    else if (r < 0.9) line = `${text(2)} ${'y'.repeat(chunkBytes + Math.floor(rand() * maxLineBytes))}`.slice(0, maxLineBytes);
    else line = `alpha ${'z'.repeat(maxLineBytes + Math.floor(rand() * 3 * maxLineBytes))}`;
    lines.push(rand() < 0.2 ? `${line}\r` : line);
  }
  const body = Buffer.from(lines.join('\n') + (count > 0 && rand() < 0.7 ? '\n' : ''));
  return rand() < 0.2 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** Everything a scan of one input reports, without the input's name. */
function essence(r: Recorded): unknown {
  const report = r.summary.fileReports[0];
  return {
    detections: r.detections.map((d) => ({ ...d, file: '' })),
    unparsed: r.unparsed.map((u) => ({ ...u, file: '' })),
    issues: r.issues.map((i) => ({ ...i, file: '' })),
    report: report ? { ...report, file: '' } : undefined,
    lines: r.summary.lines,
    bytes: r.summary.bytes,
    detectionsPerRule: r.summary.detectionsPerRule,
    unparsedSamples: r.summary.unparsedSamples.map((u) => ({ ...u, file: '' })),
  };
}

/** The bytes as stdin, in pieces of random sizes. */
function asStdin(bytes: Buffer, rand: () => number): Readable {
  const pieces: Buffer[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const n = 1 + Math.floor(rand() * 200);
    pieces.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  return Readable.from(pieces);
}

test('a file read in ranges reports what it reports read by the main thread, through stdin, and matched in the main thread (property)', async (t) => {
  const rand = seeded(2024);
  const dir = tempTree({});
  for (let round = 0; round < 25; round++) {
    const chunkBytes = 16 + Math.floor(rand() * 100);
    const maxLineBytes = 40 + Math.floor(rand() * 300);
    const bytes = randomLog(rand, chunkBytes, maxLineBytes);
    const file = `r${round}.log`;
    fs.writeFileSync(path.join(dir, file), bytes);
    const options = { cwd: dir, chunkBytes, maxLineBytes };
    const [ranged, readHere, streamed, matchedHere, rangedBeside] = await Promise.all([
      run({ ...options, inputs: [file], plainFileReader: 'workers' }),
      run({ ...options, inputs: [file], plainFileReader: 'main-thread' }),
      run({ ...options, inputs: ['-'], stdin: asStdin(bytes, rand) }),
      run({ ...options, inputs: [file], threads: undefined, mainThread: true }),
      run({ ...options, inputs: [file], threads: undefined, plainFileReader: 'workers', workers: spawnWorkers(2, MATCHER, true) }),
    ]);
    const context = `round ${round}: chunkBytes ${chunkBytes}, maxLineBytes ${maxLineBytes}, ${bytes.length} bytes`;
    t.deepEqual(essence(ranged), essence(readHere), context);
    t.deepEqual(essence(ranged), essence(streamed), context);
    t.deepEqual(essence(ranged), essence(matchedHere), context);
    t.deepEqual(essence(ranged), essence(rangedBeside), `${context}: ranges matched in this thread and a worker`);
    t.is(ranged.summary.fileReports[0]?.bytesRead, bytes.length, context);
    t.true(lineCountsBalance(ranged.summary.lines), context);
  }
});

/** A log of `lines` lines, every tenth with a detection. */
const log = (lines: number): string => Array.from({ length: lines }, (_, i) => (i % 10 === 0 ? `alpha ${i}` : `{"n":${i},"pad":"${'p'.repeat(i % 50)}"}`)).join('\n') + '\n';

/** A sink that truncates `file` to `size` bytes at the first detections it sees. */
function truncating(file: string, size: number): ScanSink {
  let done = false;
  return {
    detections: (): void => {
      if (done) return;
      done = true;
      fs.truncateSync(file, size);
    },
  };
}

const brief = (d: Detection): unknown => [d.line, d.offset, d.rule.id];

for (const [name, options] of [
  ['every range already sent (a worker finds the file short)', { threads: 1, maxChunksInFlight: 100_000 }],
  ['few ranges in flight (the cutting or a worker finds the file short)', { threads: 2, maxChunksInFlight: 2 }],
] as const) {
  test(`a file that shrinks during the scan is a READ_ERROR, partial, with the lines before kept: ${name}`, async (t) => {
    const content = log(200_000);
    const dir = tempTree({ 'shrinks.log': content, 'after.log': 'beta\n' });
    const full = await run({ inputs: ['-'], stdin: Readable.from([Buffer.from(content)]), chunkBytes: 4096 });
    const cutAt = Math.floor(content.length / 3) + 5; // inside a line
    const r = await run({ inputs: ['shrinks.log', 'after.log'], cwd: dir, chunkBytes: 4096, plainFileReader: 'workers', ...options, sinks: [truncating(path.join(dir, 'shrinks.log'), cutAt)] });
    const report = r.summary.fileReports[0];
    t.is(report?.status, 'partial');
    t.deepEqual(r.issues.map((i) => [i.code, i.file]), [['READ_ERROR', 'shrinks.log']]);
    t.regex(r.issues[0]?.message ?? '', new RegExp(`^read error: the file ended at byte ${cutAt}, before byte \\d+: it shrank during the scan after line \\d+ \\(\\d+ bytes read`));
    t.is(r.issues[0]?.line, report?.lines);
    const lines = report?.lines ?? 0;
    t.true(lines > 0 && lines < 200_000, `${lines} lines`);
    t.is(report?.bytesRead, content.split('\n').slice(0, lines).join('\n').length + 1, 'bytes read: up to the first line not reported');
    const kept = r.detections.filter((d) => d.file === 'shrinks.log');
    t.deepEqual(kept.map(brief), full.detections.filter((d) => d.line <= (report?.lines ?? 0)).map(brief));
    t.true(lineCountsBalance(r.summary.lines));
    t.deepEqual(r.summary.fileReports.map((f) => [f.file, f.status]), [
      ['shrinks.log', 'partial'],
      ['after.log', 'scanned'],
    ]);
    t.is(r.detections.at(-1)?.file, 'after.log');
  });
}

test('a worker reads a range whole, or says why not', (t) => {
  const dir = tempTree({ 'f.log': 'abcdefghij\n'.repeat(10) });
  const fd = fs.openSync(path.join(dir, 'f.log'), 'r');
  try {
    const reader = new RangeReader();
    const ok = reader.read(fd, 11, 22);
    t.is(ok.kind === 'ok' ? Buffer.from(ok.bytes).toString() : ok.message, 'abcdefghij\n'.repeat(2));
    const big = reader.read(fd, 0, 110);
    t.is(big.kind === 'ok' ? big.bytes.length : big.message, 110);
    const short = reader.read(fd, 100, 20);
    t.deepEqual(short, { kind: 'failed', message: 'the file ended at byte 110, before byte 120: it shrank during the scan' });
  } finally {
    fs.closeSync(fd);
  }
  const closed = new RangeReader().read(999_999, 0, 10); // a descriptor not open
  t.is(closed.kind, 'failed');
  t.regex(closed.kind === 'failed' ? closed.message : '', /EBADF/);
});
