import test from 'ava';
import { exitStatus } from '../../src/scan/exit-status';
import { formatScanIssue } from '../../src/scan/format';
import { countSink, renderCounts } from '../../src/scan/sinks/count';
import { filesWithMatchesSink } from '../../src/scan/sinks/files-with-matches';
import { issueSink } from '../../src/scan/sinks/issues';
import { formatDetectionJson, jsonlSink } from '../../src/scan/sinks/jsonl';
import { formatProgress, progressSink } from '../../src/scan/sinks/progress';
import { renderSummary } from '../../src/scan/sinks/summary';
import { renderTable } from '../../src/scan/sinks/table';
import type { RuleCount, RuleInfo, ScanSummary } from '../../src/scan/types';
import { memoryOut, run, tempTree } from './helpers';

const FILES = {
  'a.log': '{"msg":"alpha one"}\nnothing\nbeta two\n',
  'b.log': 'nothing here\n',
  'c.log': 'gamma\nalpha again\n{"broken":\n',
};

test('jsonl: one detection per line with the documented schema', async (t) => {
  const dir = tempTree(FILES);
  const out = memoryOut();
  await run({ inputs: ['a.log', 'b.log', 'c.log'], cwd: dir, sinks: [jsonlSink(out.stream)] });
  const lines = out.text().trimEnd().split('\n');
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  t.is(records.length, 4);
  for (const r of records) {
    t.deepEqual(Object.keys(r), ['rule', 'file', 'line', 'offset', 'event']);
    t.deepEqual(Object.keys(r.rule as object), ['id', 'title', 'level', 'tags']);
  }
  t.deepEqual(records[0], {
    rule: { id: 'rule-alpha', title: 'contains alpha', level: 'high', tags: ['attack.t1000'] },
    file: 'a.log',
    line: 1,
    offset: 0,
    event: { msg: 'alpha one' },
  });
  t.deepEqual(records.map((r) => [r.file, r.line, r.offset]), [
    ['a.log', 1, 0],
    ['a.log', 3, 28],
    ['c.log', 1, 0],
    ['c.log', 2, 6],
  ]);
  t.is(records[1]?.event, 'beta two');
});

test('jsonl: EVTX detections add "record" after "offset", and "verified": false only when unverified', (t) => {
  const rule: RuleInfo = { id: 'r1', title: 'T', level: 'high', tags: [], file: 'r.yml' };
  const base = { rule, ruleIndex: 0, file: 's.evtx', line: 3, offset: 4608, event: { Event: {} } };
  t.is(formatDetectionJson({ ...base, record: 812 }), '{"rule":{"id":"r1","title":"T","level":"high","tags":[]},"file":"s.evtx","line":3,"offset":4608,"record":812,"event":{"Event":{}}}');
  t.deepEqual(Object.keys(JSON.parse(formatDetectionJson({ ...base, record: 812, verified: false })) as object), ['rule', 'file', 'line', 'offset', 'record', 'verified', 'event']);
});

test('files-with-matches prints each matching file once, in input order', async (t) => {
  const dir = tempTree({ ...FILES, 'd.log': 'alpha\nalpha\nbeta\n' });
  const out = memoryOut();
  await run({ inputs: ['d.log', 'a.log', 'b.log', 'c.log'], cwd: dir, sinks: [filesWithMatchesSink(out.stream)] });
  t.is(out.text(), 'd.log\na.log\nc.log\n');
});

test('count: per rule in rule order, or the total', async (t) => {
  const dir = tempTree(FILES);
  const perRule = memoryOut();
  const total = memoryOut();
  const r = await run({
    inputs: ['a.log', 'b.log', 'c.log'],
    cwd: dir,
    sinks: [countSink(perRule.stream, { mode: 'per-rule' }), countSink(total.stream, { mode: 'total' })],
  });
  t.is(perRule.text(), '2\trule-alpha\tcontains alpha\n1\trule-beta\tcontains beta\n1\trule-gamma\tcontains gamma\n');
  t.is(total.text(), '4\n');
  t.deepEqual(r.summary.detectionsPerRule.map((c) => c.count), [2, 1, 1]);
  const none = renderCounts(r.summary.detectionsPerRule.map((c) => ({ ...c, count: 0 })), { mode: 'per-rule' });
  t.is(none, '');
});

const info = (id: string, level: string): RuleInfo => ({ id, title: `title ${id}`, level, tags: [], file: `${id}.yml` });

test('table: grouped by level (critical first), then by count', (t) => {
  const counts: RuleCount[] = [
    { rule: info('l1', 'low'), count: 5 },
    { rule: info('h1', 'high'), count: 1 },
    { rule: info('c1', 'critical'), count: 2 },
    { rule: info('h2', 'high'), count: 9 },
    { rule: info('z', 'high'), count: 0 },
    { rule: info('odd', 'weird'), count: 1 },
  ];
  const lines = renderTable(counts).trimEnd().split('\n');
  t.deepEqual(
    lines.map((l) => l.split(/\s{2,}/)),
    [
      ['LEVEL', 'COUNT', 'RULE', 'ID'],
      ['critical', '2', 'title c1', 'c1'],
      ['high', '9', 'title h2', 'h2'],
      ['high', '1', 'title h1', 'h1'],
      ['low', '5', 'title l1', 'l1'],
      ['weird', '1', 'title odd', 'odd'],
    ],
  );
  t.true(renderTable(counts, { includeZero: true }).includes('title z'));
  t.is(renderTable([]), 'no detections\n');
});

test('summary: files, line accounting, bytes, samples of unparsed lines, skipped files, rules not loaded', async (t) => {
  const dir = tempTree({ ...FILES, 'bin.log': new Uint8Array(64) });
  const r = await run({ inputs: ['a.log', 'b.log', 'c.log', 'bin.log', 'gone.log'], cwd: dir });
  const text = renderSummary(r.summary, { notLoaded: [{ file: 'rules/bad.yml', reason: 'unknown modifier "containz"' }] });
  t.regex(text, /^files: 5 \(3 scanned, 2 skipped\)$/m);
  t.regex(text, /^lines: 7 = 6 events evaluated \+ 0 empty \+ 1 not parsed \+ 0 too long$/m);
  t.regex(text, /^detections: 4 \(3 of 3 rules matched\)$/m);
  t.regex(text, /^ {2}c\.log:3: invalid JSON/m);
  t.regex(text, /^ {2}bin\.log: binary file \(NUL byte at offset 0\)$/m);
  t.regex(text, /^ {2}gone\.log: no such file or directory$/m);
  t.regex(text, /^rules: 3 loaded, 1 not loaded:$/m);
  t.regex(text, /^ {2}rules\/bad\.yml: unknown modifier "containz"$/m);
  t.regex(text, /^errors: 1/m);
  t.is(exitStatus(r.summary), 2);
});

test('EVTX issues print their chunk and record instead of a line; the summary adds an evtx line', (t) => {
  t.is(
    formatScanIssue({ code: 'EVTX_BAD_RECORD', severity: 'error', file: 's.evtx', chunk: 3, record: 812, offset: 201234, message: 'damaged record header' }),
    's.evtx: chunk 3, record 812: error[EVTX_BAD_RECORD]: damaged record header',
  );
  t.is(
    formatScanIssue({ code: 'EVTX_CHUNK_HEADER_CHECKSUM', severity: 'error', file: 's.evtx', chunk: 0, offset: 4220, message: 'chunk skipped' }),
    's.evtx: chunk 0: error[EVTX_CHUNK_HEADER_CHECKSUM]: chunk skipped',
  );
  const base: ScanSummary = {
    ok: false, rules: [], files: { scanned: 1, partial: 0, skipped: [] }, fileReports: [],
    lines: { lines: 10, evaluated: 10, emptyLines: 0, unparsed: 0, tooLong: 0 }, unparsedSamples: [],
    bytes: { read: 1, decompressed: 1 }, detections: 0, detectionsPerRule: [], issues: [], errorCount: 0, warningCount: 0, elapsedMs: 1,
  };
  t.notRegex(renderSummary(base), /^evtx:/m);
  const text = renderSummary({ ...base, evtx: { files: 2, chunks: 9, chunksDamaged: 1, recordsSkipped: 2, recordsUnverified: 40 } });
  t.regex(text, /^evtx: 2 files, 9 chunks \(records count as lines\); 1 damaged chunks, 2 damaged records skipped, 40 records not verified \(chunk checksum\)$/m);
});

test('issues print as file:line: severity[CODE]: message', async (t) => {
  t.is(
    formatScanIssue({ code: 'LINE_TOO_LONG', severity: 'warning', file: 'a.log', line: 7, message: 'line longer than 10 bytes' }),
    'a.log:7: warning[LINE_TOO_LONG]: line longer than 10 bytes',
  );
  t.is(formatScanIssue({ code: 'NO_MATCHING_FILES', severity: 'error', message: 'no file matches "*.x"' }), 'error[NO_MATCHING_FILES]: no file matches "*.x"');
  const dir = tempTree({ 'a.log': 'x\n' });
  const out = memoryOut();
  await run({ inputs: ['a.log', 'gone.log'], cwd: dir, sinks: [issueSink(out.stream)] });
  t.is(out.text(), 'gone.log: error[FILE_NOT_FOUND]: no such file or directory\n');
});

test('progress: rate and ETA when the total is known; nothing on a non-TTY stream', async (t) => {
  const line = formatProgress({ bytesRead: 50_000_000, totalBytes: 200_000_000, bytesDecompressed: 0, filesDone: 1, files: 4, elapsedMs: 2000, file: 'x.gz' });
  t.is(line, '1/4 files  50.0 MB / 200 MB (25%)  25.0 MB/s  ETA 6.00 s  x.gz');
  t.is(formatProgress({ bytesRead: 1500, bytesDecompressed: 0, filesDone: 0, files: 1, elapsedMs: 1000 }), '0/1 files  1.50 KB  1.50 KB/s');
  const plain = memoryOut();
  t.deepEqual(progressSink(plain.stream), {});
  const tty = memoryOut();
  Object.assign(tty.stream, { isTTY: true, columns: 40 });
  const sink = progressSink(tty.stream);
  sink.progress?.({ bytesRead: 10, bytesDecompressed: 10, filesDone: 0, files: 1, elapsedMs: 1000 });
  await sink.end?.({} as ScanSummary);
  t.is(tty.text(), '\r\x1b[K0/1 files  10 B  10 B/s\r\x1b[K');
});
