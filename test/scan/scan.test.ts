import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { lineCountsBalance } from '../../src/scan/accounting';
import { exitStatus } from '../../src/scan/exit-status';
import type { Detection, LineCounts } from '../../src/scan/types';
import { PLAN, run, tempTree, type Recorded } from './helpers';

/** Deterministic mixed input: JSON and text lines, blanks, malformed JSON, multi-byte characters. */
function makeLog(lines: number, seed: number): string {
  let x = seed;
  const rnd = (n: number): number => {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const words = ['alpha', 'beta', 'gamma', 'delta', 'éè', '日本語', 'x'.repeat(40), 'noise'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const w = Array.from({ length: 1 + rnd(6) }, () => words[rnd(words.length)] as string).join(' ');
    switch (rnd(6)) {
      case 0:
        out.push('');
        break;
      case 1:
        out.push(`{"broken": "${w}"`);
        break;
      case 2:
      case 3:
        out.push(JSON.stringify({ n: i, msg: w }));
        break;
      default:
        out.push(`${i} ${w}`);
    }
  }
  return `${out.join('\n')}\n`;
}

interface Expected {
  readonly detections: { file: string; line: number; offset: number; rule: string }[];
  readonly counts: LineCounts;
}

/** What the scan must report for one file, computed on the whole file at once. */
function reference(file: string, content: string | Buffer): Expected {
  const buf = Buffer.from(content);
  const detections: Expected['detections'] = [];
  let lines = 0;
  let emptyLines = 0;
  let unparsed = 0;
  let evaluated = 0;
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const text = buf.toString('utf8', pos, nl < 0 ? buf.length : nl).replace(/\r$/, '');
    lines++;
    if (text.trim() === '') emptyLines++;
    else if (text.startsWith('{') && !parses(text)) unparsed++;
    else {
      evaluated++;
      for (const r of PLAN.rules) if (text.includes(r.literal)) detections.push({ file, line: lines, offset: pos, rule: r.id });
    }
    pos = nl < 0 ? buf.length : nl + 1;
  }
  return { detections, counts: { lines, evaluated, emptyLines, unparsed, tooLong: 0 } };
}

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const brief = (d: Detection): { file: string; line: number; offset: number; rule: string } => ({
  file: d.file,
  line: d.line,
  offset: d.offset,
  rule: d.rule.id,
});

function assertBalanced(t: ExecutionContext, r: Recorded): void {
  t.true(lineCountsBalance(r.summary.lines), `total lines balance: ${JSON.stringify(r.summary.lines)}`);
  for (const f of r.summary.fileReports) t.true(lineCountsBalance(f), `${f.file} lines balance: ${JSON.stringify(f)}`);
}

test('several files: detections, line numbers and byte offsets match a whole-file reference', async (t) => {
  const a = makeLog(300, 1);
  const b = makeLog(200, 2);
  const dir = tempTree({ 'a.log': a, 'b.log': b });
  const r = await run({ inputs: ['a.log', 'b.log'], cwd: dir });
  const ea = reference('a.log', a);
  const eb = reference('b.log', b);
  t.deepEqual(r.detections.map(brief), [...ea.detections, ...eb.detections]);
  t.deepEqual(r.summary.fileReports.map((f) => [f.file, f.lines, f.evaluated, f.emptyLines, f.unparsed]), [
    ['a.log', ea.counts.lines, ea.counts.evaluated, ea.counts.emptyLines, ea.counts.unparsed],
    ['b.log', eb.counts.lines, eb.counts.evaluated, eb.counts.emptyLines, eb.counts.unparsed],
  ]);
  t.is(r.summary.files.scanned, 2);
  t.is(r.summary.detections, ea.detections.length + eb.detections.length);
  t.is(r.summary.bytes.decompressed, Buffer.byteLength(a) + Buffer.byteLength(b));
  t.is(r.unparsed.length, ea.counts.unparsed + eb.counts.unparsed);
  t.true(r.summary.unparsedSamples.length > 0);
  t.regex(r.summary.unparsedSamples[0]?.reason ?? '', /invalid JSON/);
  assertBalanced(t, r);
  t.is(exitStatus(r.summary), 0);
});

test('results with many chunks and 1, 2 or 3 threads are identical', async (t) => {
  const content = makeLog(3000, 7);
  const dir = tempTree({ 'big.log': content, 'small.log': makeLog(20, 3) });
  const runs = await Promise.all(
    [1, 2, 3].map((threads) => run({ inputs: ['big.log', 'small.log'], cwd: dir, threads, chunkBytes: 100 })),
  );
  const texts = runs.map((r) => JSON.stringify({ d: r.detections, u: r.unparsed, f: r.summary.fileReports }));
  for (const other of texts.slice(1)) t.is(other, texts[0] ?? '');
  t.deepEqual(runs[0]?.detections.filter((d) => d.file === 'big.log').map(brief), reference('big.log', content).detections);
  for (const r of runs) assertBalanced(t, r);
});

test('directories are walked recursively in name order', async (t) => {
  const dir = tempTree({ 'logs/b.log': 'alpha\n', 'logs/a/z.log': 'alpha\n', 'logs/a/y.log': 'beta\n', 'logs/c.log': 'none\n' });
  const r = await run({ inputs: ['logs'], cwd: dir });
  t.deepEqual(r.summary.fileReports.map((f) => f.file), ['logs/a/y.log', 'logs/a/z.log', 'logs/b.log', 'logs/c.log']);
  t.deepEqual(r.detections.map((d) => d.file), ['logs/a/y.log', 'logs/a/z.log', 'logs/b.log']);
});

test('globs: *, **, no match is an error', async (t) => {
  const dir = tempTree({ 'x/1.log': 'alpha\n', 'x/2.txt': 'alpha\n', 'x/deep/3.log': 'alpha\n', '4.log': 'beta\n' });
  const star = await run({ inputs: ['x/*.log'], cwd: dir });
  t.deepEqual(star.summary.fileReports.map((f) => f.file), ['x/1.log']);
  const globstar = await run({ inputs: ['**/*.log'], cwd: dir });
  t.deepEqual(globstar.summary.fileReports.map((f) => f.file), ['4.log', 'x/1.log', 'x/deep/3.log']);
  const none = await run({ inputs: ['x/*.gz', '4.log'], cwd: dir });
  t.deepEqual(none.issues.map((i) => i.code), ['NO_MATCHING_FILES']);
  t.is(none.summary.files.scanned, 1);
  t.is(exitStatus(none.summary), 2);
});

test('gzip is recognised by its magic bytes, whatever the name, and streamed', async (t) => {
  const content = makeLog(500, 11);
  const dir = tempTree({ 'plain.txt': content, 'packed.txt': gzipSync(content) });
  const r = await run({ inputs: ['plain.txt', 'packed.txt'], cwd: dir });
  const [plain, packed] = r.summary.fileReports;
  t.is(plain?.format, 'text');
  t.is(packed?.format, 'gzip');
  t.is(packed?.bytesDecompressed, Buffer.byteLength(content));
  t.is(packed?.bytesRead, fs.statSync(path.join(dir, 'packed.txt')).size);
  const byFile = (f: string): unknown[] => r.detections.filter((d) => d.file === f).map((d) => [d.line, d.offset, d.rule.id]);
  t.deepEqual(byFile('packed.txt'), byFile('plain.txt'));
  t.true(byFile('plain.txt').length > 0);
  assertBalanced(t, r);
});

test('a truncated gzip is reported with how far it got; lines before the cut are scanned', async (t) => {
  const content = makeLog(4000, 5);
  const gz = gzipSync(content);
  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  const dir = tempTree({ 'cut.gz': cut, 'after.log': 'alpha\n' });
  const r = await run({ inputs: ['cut.gz', 'after.log'], cwd: dir });
  const report = r.summary.fileReports[0];
  t.is(report?.status, 'partial');
  t.true((report?.lines ?? 0) > 100);
  t.true((report?.lines ?? 0) < 4000);
  const issue = r.issues.find((i) => i.code === 'GZIP_ERROR');
  t.is(issue?.file, 'cut.gz');
  t.is(issue?.line, report?.lines);
  t.regex(issue?.message ?? '', /unexpected end of file/);
  // Every complete line decompressed before the cut gives the detections of the reference.
  const complete = reference('cut.gz', content).detections.filter((d) => d.line < (report?.lines ?? 0));
  t.deepEqual(r.detections.filter((d) => d.file === 'cut.gz' && d.line < (report?.lines ?? 0)).map(brief), complete);
  t.is(r.summary.fileReports[1]?.status, 'scanned');
  t.is(exitStatus(r.summary), 2);
  assertBalanced(t, r);
});

test('a corrupt gzip is reported as partial; concatenated gzip members are all read', async (t) => {
  const content = makeLog(3000, 21);
  const gz = Buffer.from(gzipSync(content));
  for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] = (gz[i] as number) ^ 0x5a;
  const dir = tempTree({ 'bad.gz': gz, 'multi.gz': Buffer.concat([gzipSync('alpha 1\n'), gzipSync('beta 2\n')]) });
  const r = await run({ inputs: ['bad.gz', 'multi.gz'], cwd: dir });
  t.is(r.summary.fileReports[0]?.status, 'partial');
  t.deepEqual(r.issues.map((i) => [i.code, i.file]), [['GZIP_ERROR', 'bad.gz']]);
  t.deepEqual(r.detections.filter((d) => d.file === 'multi.gz').map((d) => [d.line, d.offset, d.rule.id]), [
    [1, 0, 'rule-alpha'],
    [2, 8, 'rule-beta'],
  ]);
  assertBalanced(t, r);
});

test('a binary (NUL-filled) file is skipped with a warning; a truncated EVTX file is an error', async (t) => {
  const dir = tempTree({ 'zeros.log': new Uint8Array(5000), 'sec.evtx': Buffer.from('ElfFile\0 rest of header'), 'ok.log': 'alpha\n' });
  const r = await run({ inputs: ['zeros.log', 'sec.evtx', 'ok.log'], cwd: dir });
  t.deepEqual(
    r.summary.files.skipped.map((s) => s.file),
    ['zeros.log'],
  );
  t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.file]), [
    ['BINARY_FILE', 'warning', 'zeros.log'],
    ['EVTX_TRUNCATED', 'error', 'sec.evtx'],
  ]);
  t.regex(r.summary.files.skipped[0]?.reason ?? '', /NUL byte/);
  t.is(r.detections.length, 1);
  const binaryOnly = await run({ inputs: ['zeros.log', 'ok.log'], cwd: dir });
  t.true(binaryOnly.summary.ok, 'a skipped binary file is not an error, as in grep');
  t.is(exitStatus(binaryOnly.summary), 0);
});

test('a missing file is reported and the others are scanned', async (t) => {
  const dir = tempTree({ 'ok.log': 'beta\n' });
  const r = await run({ inputs: ['nope.log', 'ok.log'], cwd: dir });
  t.deepEqual(r.summary.files.skipped, [{ file: 'nope.log', reason: 'no such file or directory' }]);
  t.deepEqual(r.issues.map((i) => [i.code, i.file]), [['FILE_NOT_FOUND', 'nope.log']]);
  t.is(r.detections.length, 1);
  t.is(exitStatus(r.summary), 2);
});

test('an unreadable file is reported', async (t) => {
  if (process.getuid?.() === 0) {
    t.log('running as root: permissions do not stop reads, case not exercised');
    t.pass();
    return;
  }
  const dir = tempTree({ 'secret.log': 'alpha\n' });
  fs.chmodSync(path.join(dir, 'secret.log'), 0);
  const r = await run({ inputs: ['secret.log'], cwd: dir });
  t.deepEqual(r.issues.map((i) => i.code), ['FILE_UNREADABLE']);
});

test('CRLF line ends and a last line without newline', async (t) => {
  const content = '{"msg":"alpha"}\r\n\r\nplain beta\r\n{"bad": \r\nlast gamma';
  const dir = tempTree({ 'crlf.log': content });
  const r = await run({ inputs: ['crlf.log'], cwd: dir, chunkBytes: 16 });
  t.deepEqual(r.detections.map((d) => [d.line, d.offset, d.rule.id]), [
    [1, 0, 'rule-alpha'],
    [3, 19, 'rule-beta'],
    [5, 41, 'rule-gamma'],
  ]);
  t.deepEqual(r.detections[0]?.event, { msg: 'alpha' });
  t.is(r.detections[2]?.event, 'last gamma');
  t.deepEqual(r.summary.lines, { lines: 5, evaluated: 3, emptyLines: 1, unparsed: 1, tooLong: 0 });
  t.deepEqual(r.unparsed.map((u) => [u.line, u.offset]), [[4, 31]]);
});

test('a UTF-8 byte-order mark is skipped but counted in offsets; an empty file has no lines', async (t) => {
  const dir = tempTree({ 'bom.log': '\ufeff{"a":"alpha"}\nbeta\n', 'empty.log': '' });
  const r = await run({ inputs: ['bom.log', 'empty.log'], cwd: dir });
  t.deepEqual(r.detections.map((d) => [d.line, d.offset]), [
    [1, 3],
    [2, 17],
  ]);
  t.deepEqual(r.detections[0]?.event, { a: 'alpha' });
  t.is(r.summary.fileReports[1]?.lines, 0);
  t.is(r.summary.fileReports[1]?.status, 'scanned');
});

test('a 10 MB line is scanned whole; the lines after it keep their numbers', async (t) => {
  const big = JSON.stringify({ blob: 'z'.repeat(10 * 1024 * 1024), tail: 'alpha' });
  const content = `beta\n${big}\ngamma\n`;
  const dir = tempTree({ 'big.log': content });
  const r = await run({ inputs: ['big.log'], cwd: dir, chunkBytes: 64 * 1024 });
  t.deepEqual(r.detections.map((d) => [d.line, d.offset, d.rule.id]), [
    [1, 0, 'rule-beta'],
    [2, 5, 'rule-alpha'],
    [3, 6 + big.length, 'rule-gamma'],
  ]);
  t.is((r.detections[1]?.event as { tail: string }).tail, 'alpha');
  t.deepEqual(r.summary.lines, { lines: 3, evaluated: 3, emptyLines: 0, unparsed: 0, tooLong: 0 });
});

test('a line over the limit is reported by file:line and skipped; the scan goes on', async (t) => {
  const content = `alpha 1\n${'alpha'.repeat(1000)}\nbeta 3\n${'q'.repeat(2000)}`;
  const dir = tempTree({ 'long.log': content });
  const r = await run({ inputs: ['long.log'], cwd: dir, chunkBytes: 64, maxLineBytes: 1000 });
  t.deepEqual(r.issues.map((i) => [i.code, i.file, i.line, i.offset]), [
    ['LINE_TOO_LONG', 'long.log', 2, 8],
    ['LINE_TOO_LONG', 'long.log', 4, 5016],
  ]);
  t.regex(r.issues[0]?.message ?? '', /line longer than 1000 bytes \(5000 bytes\)/);
  t.deepEqual(r.detections.map((d) => [d.line, d.rule.id]), [
    [1, 'rule-alpha'],
    [3, 'rule-beta'],
  ]);
  t.deepEqual(r.summary.lines, { lines: 4, evaluated: 2, emptyLines: 0, unparsed: 0, tooLong: 2 });
  t.true(r.summary.ok, 'a skipped long line is a warning');
  assertBalanced(t, r);
});

test('stdin: "-" and no input read the given stream', async (t) => {
  const content = makeLog(200, 9);
  for (const inputs of [['-'], []]) {
    const r = await run({ inputs, stdin: Readable.from([Buffer.from(content.slice(0, 100)), Buffer.from(content.slice(100))]) });
    t.deepEqual(r.detections.map(brief), reference('-', content).detections);
    t.is(r.summary.fileReports[0]?.file, '-');
  }
  const gz = await run({ inputs: ['-'], stdin: Readable.from([gzipSync(content)]) });
  t.deepEqual(gz.detections.map(brief), reference('-', content).detections);
});

test('exit status: 0 with detections, 1 without, 2 after an error', async (t) => {
  const dir = tempTree({ 'hit.log': 'alpha\n', 'miss.log': 'nothing\n' });
  t.is(exitStatus((await run({ inputs: ['hit.log'], cwd: dir })).summary), 0);
  t.is(exitStatus((await run({ inputs: ['miss.log'], cwd: dir })).summary), 1);
  t.is(exitStatus((await run({ inputs: ['miss.log', 'gone.log'], cwd: dir })).summary), 2);
  t.is(exitStatus((await run({ inputs: ['hit.log', 'gone.log'], cwd: dir })).summary), 2);
});

test('results come out in input order: issues, detections and file ends interleave by position', async (t) => {
  const dir = tempTree({ 'a.log': `alpha\n${'x'.repeat(300)}\nbeta\n`, 'b.log': 'gamma\n' });
  const r = await run({ inputs: ['a.log', 'missing.log', 'b.log'], cwd: dir, maxLineBytes: 100, chunkBytes: 32 });
  t.deepEqual(r.order, [
    'detection a.log:1',
    'issue LINE_TOO_LONG a.log',
    'detection a.log:3',
    'file a.log',
    'issue FILE_NOT_FOUND missing.log',
    'file missing.log',
    'detection b.log:1',
    'file b.log',
  ]);
});

test('a slow sink (returning promises) is waited for and order is kept', async (t) => {
  const content = makeLog(1000, 4);
  const dir = tempTree({ 'a.log': content });
  const seen: number[] = [];
  const slow = {
    detections: async (batch: readonly Detection[]): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      for (const d of batch) seen.push(d.line);
    },
  };
  const r = await run({ inputs: ['a.log'], cwd: dir, chunkBytes: 200, maxChunksInFlight: 2, sinks: [slow] });
  t.deepEqual(seen, r.detections.map((d) => d.line));
  t.deepEqual(r.detections.map(brief), reference('a.log', content).detections);
});

test('a matcher that throws is reported with its place and the scan ends with an error', async (t) => {
  const content = `${'beta\n'.repeat(50)}BOOM here\n${'alpha\n'.repeat(50)}`;
  const dir = tempTree({ 'a.log': content, 'b.log': 'alpha\n' });
  const r = await run({ inputs: ['a.log', 'b.log'], cwd: dir, plan: { ...PLAN, throwOn: 'BOOM' } });
  const failed = r.issues.find((i) => i.code === 'MATCHER_FAILED');
  t.is(failed?.file, 'a.log');
  t.true((failed?.line ?? 0) <= 51 && (failed?.line ?? 0) > 40, `line ${failed?.line}`);
  t.regex(failed?.message ?? '', /fixture: throwOn/);
  t.false(r.summary.ok);
  t.is(exitStatus(r.summary), 2);
  t.deepEqual(r.summary.fileReports.map((f) => [f.file, f.status]), [
    ['a.log', 'partial'],
    ['b.log', 'skipped'],
  ]);
  t.true(r.detections.every((d) => d.line < 51));
});

test('a worker that crashes ends the scan with an error instead of hanging', async (t) => {
  const content = `CRASH\n${'alpha\n'.repeat(2000)}`;
  const dir = tempTree({ 'a.log': content });
  const r = await run({ inputs: ['a.log'], cwd: dir, threads: 1, plan: { ...PLAN, crashOn: 'CRASH' } });
  t.true(r.issues.some((i) => i.code === 'MATCHER_FAILED' && /crashOn/.test(i.message)));
  t.is(exitStatus(r.summary), 2);
});

test('a matcher that cannot be built is reported and nothing is scanned', async (t) => {
  const dir = tempTree({ 'a.log': 'alpha\n' });
  const r = await run({ inputs: ['a.log'], cwd: dir, plan: { ...PLAN, failInit: true } });
  t.deepEqual(r.issues.map((i) => i.code), ['MATCHER_INIT_FAILED']);
  t.deepEqual(r.summary.files.skipped.map((s) => s.file), ['a.log']);
  t.is(exitStatus(r.summary), 2);
  const missing = await run({ inputs: ['a.log'], cwd: dir, matcherModule: path.join(dir, 'no-such-module.js') });
  t.deepEqual(missing.issues.map((i) => i.code), ['MATCHER_INIT_FAILED']);
});

test('a matcher that does not account for every line breaks the contract and is reported', async (t) => {
  const dir = tempTree({ 'a.log': 'alpha\nbeta\n' });
  const r = await run({ inputs: ['a.log'], cwd: dir, plan: { ...PLAN, breakContract: true } });
  t.deepEqual(r.issues.map((i) => i.code), ['MATCHER_CONTRACT']);
  t.is(exitStatus(r.summary), 2);
});

test('invalid options are refused', async (t) => {
  await t.throwsAsync(run({ inputs: [], threads: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(run({ inputs: [], chunkBytes: 1 }), { instanceOf: RangeError });
  await t.throwsAsync(run({ inputs: [], threads: undefined, mainThread: true, plainFileReader: 'workers' }), { instanceOf: RangeError });
});
