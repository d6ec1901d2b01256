/**
 * EVTX through `scan`: decoded on the workers into the same JSON lines a JSON-lines file would hold, so
 * detections must equal those of the equivalent events.jsonl (rules, counts, events), with `line` = the
 * record's ordinal, `offset` = the record's file offset and `record` = EventRecordID; damage is reported
 * with file, chunk and record while the rest of the file is still scanned. Self-contained cases use the
 * test EVTX writer; the shared SigmaHQ regression corpus is used when ../shared is present.
 */
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadRuleSet, planRuleSet, scanWithPlan } from '../../src/api';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import type { MatcherPlan } from '../../src/plan/types';
import { lineCountsBalance } from '../../src/scan/accounting';
import { exitStatus } from '../../src/scan/exit-status';
import type { PlanScanOptions } from '../../src/api';
import type { Detection } from '../../src/scan/types';
import { crc32 } from '../../src/evtx/bytes';
import { MISSING_SHARED, hasShared, readJsonLines, sharedPath } from '../support/shared';
import { recorder, tempTree, type Recorded } from './helpers';
import { CHUNK_BYTES, EVIL_RULE, HEADER_BYTES, manyEvents, multiChunkEvtx, processEventJson } from './evtx-fixtures';

function planOf(files: { file: string; text: string }[]): MatcherPlan {
  const planned = planRuleSet(loadRuleSet(files), { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
  if (planned.notLoaded.length > 0) throw new Error(`rules not loaded: ${JSON.stringify(planned.notLoaded)}`);
  return planned.plan;
}

async function scanPlan(plan: MatcherPlan, options: Omit<PlanScanOptions, 'sinks'>): Promise<Recorded> {
  const rec = recorder();
  const summary = await scanWithPlan(plan, { threads: 2, ...options, sinks: [rec.sink] });
  return { summary, ...rec };
}

/** What must agree between an EVTX scan and a JSON-lines scan of the same events. */
function essence(ds: readonly Detection[], withoutEvent = false): { rule: string; line: number; event?: unknown }[] {
  return ds.map((d) => (withoutEvent ? { rule: d.rule.id, line: d.line } : { rule: d.rule.id, line: d.line, event: d.event }));
}

function assertBalanced(t: ExecutionContext, r: Recorded): void {
  t.true(lineCountsBalance(r.summary.lines), JSON.stringify(r.summary.lines));
  for (const f of r.summary.fileReports) t.true(lineCountsBalance(f), `${f.file}: ${JSON.stringify(f)}`);
}

const u32 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset).getUint32(o, true);
const setU32 = (b: Uint8Array, o: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(o, v >>> 0, true);

/** File offsets and header numbers of the records of the chunk at file offset `chunk`. */
function recordsOf(b: Uint8Array, chunk: number): { offset: number; number: number }[] {
  const out: { offset: number; number: number }[] = [];
  for (let p = chunk + 512; p < chunk + u32(b, chunk + 48); p += u32(b, p + 4)) out.push({ offset: p, number: u32(b, p + 8) });
  return out;
}

/** Recomputes a chunk's CRCs so that a test isolates one kind of damage. */
function resealChunk(b: Uint8Array, chunk: number): void {
  setU32(b, chunk + 52, crc32(b, chunk + 512, chunk + u32(b, chunk + 48)));
  setU32(b, chunk + 124, crc32(b, chunk + 128, chunk + 512, crc32(b, chunk, chunk + 120)));
}

// ---------------------------------------------------------------- self-contained

const EVENTS = manyEvents(300, 9);
const PER_CHUNK = 40;
const EVTX = multiChunkEvtx(EVENTS, PER_CHUNK);
const JSONL = `${EVENTS.map((e) => JSON.stringify(processEventJson(e))).join('\n')}\n`;
const EVIL_PLAN = planOf([{ file: 'evil.yml', text: EVIL_RULE }]);

test('a multi-chunk EVTX file split over workers: the same detections as its JSON lines, in file order', async (t) => {
  const dir = tempTree({ 'sec.evtx': EVTX, 'sec.jsonl': JSONL, 'sec.evtx.gz': gzipSync(EVTX), 'named.log': EVTX });
  const lines = await scanPlan(EVIL_PLAN, { inputs: ['sec.jsonl'], cwd: dir });
  const expected = EVENTS.flatMap((e, i) => (e.image.endsWith('\\evil.exe') && e.eventId === 1 ? [i + 1] : []));
  t.deepEqual(lines.detections.map((d) => d.line), expected);
  t.true(expected.length > 20);
  for (const chunkBytes of [CHUNK_BYTES, 3 * CHUNK_BYTES, 1 << 20]) {
    // One block per message spreads the file over both workers; bigger groups carry several chunks.
    const r = await scanPlan(EVIL_PLAN, { inputs: ['sec.evtx'], cwd: dir, chunkBytes, maxChunksInFlight: 3 });
    t.deepEqual(essence(r.detections), essence(lines.detections), `chunkBytes ${chunkBytes}`);
    t.deepEqual(r.detections.map((d) => d.record), expected.map((l) => EVENTS[l - 1]!.recordId));
    for (const d of r.detections) {
      const chunk = Math.floor((d.line - 1) / PER_CHUNK);
      t.is(d.offset, recordsOf(EVTX, HEADER_BYTES + chunk * CHUNK_BYTES)[(d.line - 1) % PER_CHUNK]!.offset);
      t.is(d.verified, undefined);
    }
    t.deepEqual(r.issues, []);
    t.like(r.summary.lines, { lines: 300, evaluated: 300, emptyLines: 0, unparsed: 0, tooLong: 0 });
    t.deepEqual(r.summary.evtx, { files: 1, chunks: 8, chunksDamaged: 0, recordsSkipped: 0, recordsUnverified: 0 });
    t.like(r.summary.fileReports[0], { format: 'evtx', status: 'scanned', bytesRead: EVTX.length, bytesDecompressed: EVTX.length });
    t.is(exitStatus(r.summary), 0);
    assertBalanced(t, r);
  }
  // Recognised by signature: gzip-compressed, and under a name that does not say EVTX.
  const other = await scanPlan(EVIL_PLAN, { inputs: ['sec.evtx.gz', 'named.log'], cwd: dir, chunkBytes: CHUNK_BYTES });
  t.deepEqual(
    other.detections.filter((d) => d.file === 'sec.evtx.gz').map((d) => [d.line, d.offset, d.record]),
    other.detections.filter((d) => d.file === 'named.log').map((d) => [d.line, d.offset, d.record]),
  );
  t.is(other.detections.length, 2 * expected.length);
  t.like(other.summary.fileReports[0], { format: 'gzip', evtx: { chunks: 8, chunksDamaged: 0, recordsSkipped: 0, recordsUnverified: 0 } });
});

test('a self-contained damaged chunk: reported with file and chunk, the other chunks scanned', async (t) => {
  const bad = EVTX.slice();
  bad[HEADER_BYTES + 2 * CHUNK_BYTES + 130]! ^= 0xff; // inside chunk 2's header, under its CRC
  const dir = tempTree({ 'bad.evtx': bad });
  const r = await scanPlan(EVIL_PLAN, { inputs: ['bad.evtx'], cwd: dir, chunkBytes: CHUNK_BYTES });
  t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.file, i.chunk, i.offset]), [
    ['EVTX_CHUNK_HEADER_CHECKSUM', 'error', 'bad.evtx', 2, HEADER_BYTES + 2 * CHUNK_BYTES + 124],
  ]);
  const kept = EVENTS.filter((_, i) => Math.floor(i / PER_CHUNK) !== 2);
  t.like(r.summary.lines, { lines: kept.length, evaluated: kept.length });
  t.deepEqual(r.summary.evtx, { files: 1, chunks: 8, chunksDamaged: 1, recordsSkipped: 0, recordsUnverified: 0 });
  // Lines count decoded records only: after the lost chunk, ordinals close up.
  t.deepEqual(
    r.detections.map((d) => d.record),
    kept.filter((e) => e.image.endsWith('\\evil.exe') && e.eventId === 1).map((e) => e.recordId),
  );
  t.deepEqual(r.detections.map((d) => d.line), r.detections.map((d) => kept.findIndex((e) => e.recordId === d.record) + 1));
  t.is(exitStatus(r.summary), 2);
});

test('an EVTX file too short for its header is an error, and the next input is scanned', async (t) => {
  const dir = tempTree({ 'a.evtx': Buffer.from('ElfFile\0 rest of header'), 'b.evtx': EVTX.subarray(0, 2000), 'c.evtx': EVTX });
  const r = await scanPlan(EVIL_PLAN, { inputs: ['a.evtx', 'b.evtx', 'c.evtx'], cwd: dir });
  t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.file]), [
    ['EVTX_TRUNCATED', 'error', 'a.evtx'],
    ['EVTX_TRUNCATED', 'error', 'b.evtx'],
  ]);
  t.is(r.detections.filter((d) => d.file === 'c.evtx').length, r.summary.detections);
  t.true(r.summary.detections > 0);
  t.is(exitStatus(r.summary), 2);
});

// ---------------------------------------------------------------- shared SigmaHQ regression corpus

interface Case {
  readonly rule_id: string;
  readonly rule_path: string;
  readonly events: readonly number[];
  readonly evtx: string;
}

const CORPUS = ['corpora', 'sigma-regression'];
/**
 * Cases whose events.jsonl lines were not rendered from their .evtx (see test/evtx/conformance.test.ts):
 * detections are compared by rule and line, not by event.
 */
const KNOWN_MISMATCH = new Set(['ad691d92-15f2-4181-9aa4-723c74f9ddc3']);

if (!hasShared(...CORPUS, 'cases.jsonl')) {
  test.skip(`EVTX scan against the SigmaHQ regression corpus: ${MISSING_SHARED}`, () => {});
} else {
  const cases = readJsonLines<Case>(sharedPath(...CORPUS, 'cases.jsonl'));
  const eventLines = fs.readFileSync(sharedPath(...CORPUS, 'events.jsonl'), 'utf8').split('\n');
  const ruleFile = (c: Case): string => sharedPath(...CORPUS, 'rules', c.rule_path);
  const evtxFile = (c: Case): string => sharedPath(...CORPUS, c.evtx);
  const caseLines = (c: Case): string => `${c.events.map((n) => eventLines[n - 1]!).join('\n')}\n`;
  const allPlan = (): MatcherPlan => planOf(readRuleFiles(cases.map(ruleFile)).files);

  test('each case: its .evtx and its events.jsonl lines give the same detections with its rule', async (t) => {
    const dir = tempTree(Object.fromEntries(cases.map((c) => [`${c.rule_id}.jsonl`, caseLines(c)])));
    let detections = 0;
    for (const c of cases) {
      const plan = planOf(readRuleFiles([ruleFile(c)]).files);
      // Both inputs in one scan: one worker start per case.
      const jsonl = path.join(dir, `${c.rule_id}.jsonl`);
      const r = await scanPlan(plan, { inputs: [evtxFile(c), jsonl], threads: 1 });
      const fromEvtx = r.detections.filter((d) => d.file === evtxFile(c));
      const fromLines = r.detections.filter((d) => d.file === jsonl);
      t.deepEqual(essence(fromEvtx, KNOWN_MISMATCH.has(c.rule_id)), essence(fromLines, KNOWN_MISMATCH.has(c.rule_id)), c.rule_path);
      t.true(fromEvtx.length > 0, `${c.rule_path}: the case's rule matches its events`);
      t.deepEqual(r.issues, [], c.rule_path);
      t.is(r.summary.fileReports[0]?.lines, c.events.length, c.rule_path);
      for (const d of fromEvtx) {
        const system = (d.event as { Event: { System: { EventRecordID: number } } }).Event.System;
        t.is(d.record, system.EventRecordID);
      }
      detections += fromEvtx.length;
    }
    t.log(`${cases.length} cases, ${detections} detections from .evtx equal to events.jsonl`);
  });

  test('all cases in one scan with all rules: .evtx files equal events.jsonl, case by case', async (t) => {
    const plan = allPlan();
    t.is(plan.rules.length, cases.length);
    const dir = tempTree(Object.fromEntries(cases.map((c) => [`${c.rule_id}.jsonl`, caseLines(c)])));
    const evtx = await scanPlan(plan, { inputs: [sharedPath(...CORPUS, 'evtx')] });
    const lines = await scanPlan(plan, { inputs: [dir] });
    t.deepEqual(evtx.issues, []);
    t.is(evtx.summary.lines.lines, eventLines.filter((l) => l.trim() !== '').length);
    t.is(evtx.summary.detections, lines.summary.detections);
    t.deepEqual(
      evtx.summary.detectionsPerRule.map((c) => [c.rule.id, c.count]),
      lines.summary.detectionsPerRule.map((c) => [c.rule.id, c.count]),
    );
    for (const c of cases) {
      const byFile = (r: Recorded, file: string): ReturnType<typeof essence> =>
        essence(r.detections.filter((d) => path.basename(d.file) === file), KNOWN_MISMATCH.has(c.rule_id));
      t.deepEqual(byFile(evtx, `${c.rule_id}.evtx`), byFile(lines, `${c.rule_id}.jsonl`), c.rule_path);
    }
    t.deepEqual(evtx.summary.evtx, { files: cases.length, chunks: cases.length, chunksDamaged: 0, recordsSkipped: 0, recordsUnverified: 0 });
    assertBalanced(t, evtx);
  });

  // Damaged copies: a one-record case's chunk (chunk 0) then a seven-record case's chunk (chunk 1).
  const MULTI = cases.find((c) => c.rule_id === 'efc21479-9e83-41da-8cf1-122e06ba8db3')!;
  const SINGLE = cases.find((c) => c.rule_id === 'af688c76-4ce4-4309-bfdd-e896f01acf27')!;
  const twoChunks = (): Uint8Array => {
    const a = fs.readFileSync(evtxFile(SINGLE));
    const b = fs.readFileSync(evtxFile(MULTI));
    const out = new Uint8Array(HEADER_BYTES + 2 * CHUNK_BYTES);
    out.set(a.subarray(0, HEADER_BYTES + CHUNK_BYTES), 0);
    out.set(b.subarray(HEADER_BYTES, HEADER_BYTES + CHUNK_BYTES), HEADER_BYTES + CHUNK_BYTES);
    return out;
  };
  const C1 = HEADER_BYTES + CHUNK_BYTES;
  const damagePlan = (): MatcherPlan => planOf(readRuleFiles([ruleFile(SINGLE), ruleFile(MULTI)]).files);
  /** Detections expected from the sound file's records, given which of its 8 records survive. */
  const soundDetections = async (plan: MatcherPlan, keep: (i: number) => boolean): Promise<ReturnType<typeof essence>> => {
    const all = [...SINGLE.events, ...MULTI.events].map((n) => eventLines[n - 1]!).filter((_, i) => keep(i));
    const dir = tempTree({ 'kept.jsonl': `${all.join('\n')}\n` });
    return essence((await scanPlan(plan, { inputs: ['kept.jsonl'], cwd: dir })).detections);
  };

  test('damaged .evtx from a shared file: chunk header, record, BinXML, truncation, data checksum', async (t) => {
    t.is(MULTI.events.length, 7);
    const plan = damagePlan();
    const scanBytes = async (bytes: Uint8Array): Promise<Recorded> => {
      const dir = tempTree({ 'bad.evtx': bytes });
      return scanPlan(plan, { inputs: ['bad.evtx'], cwd: dir, chunkBytes: CHUNK_BYTES });
    };
    const sound = await scanBytes(twoChunks());
    t.deepEqual(sound.issues, []);
    t.deepEqual(essence(sound.detections), await soundDetections(plan, () => true));

    // Chunk 0's header CRC: the chunk is skipped, chunk 1 scanned.
    {
      const b = twoChunks();
      b[HEADER_BYTES + 24]! ^= 0xff;
      const r = await scanBytes(b);
      t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.file, i.chunk]), [['EVTX_CHUNK_HEADER_CHECKSUM', 'error', 'bad.evtx', 0]]);
      t.deepEqual(essence(r.detections), await soundDetections(plan, (i) => i > 0));
      t.is(r.summary.lines.lines, 7);
      t.is(exitStatus(r.summary), 2);
    }
    // A record header of chunk 1 (the fifth record): reported with its chunk and record number.
    {
      const b = twoChunks();
      const victim = recordsOf(b, C1)[4]!;
      b[victim.offset] = 0x00;
      resealChunk(b, C1);
      const r = await scanBytes(b);
      t.deepEqual(r.issues.map((i) => [i.code, i.file, i.chunk, i.record, i.offset]), [['EVTX_BAD_RECORD', 'bad.evtx', 1, victim.number, victim.offset]]);
      t.deepEqual(essence(r.detections), await soundDetections(plan, (i) => i !== 5));
      t.is(r.summary.lines.lines, 7);
      t.deepEqual(r.summary.evtx, { files: 1, chunks: 2, chunksDamaged: 1, recordsSkipped: 1, recordsUnverified: 0 });
      t.is(exitStatus(r.summary), 2);
    }
    // The BinXML of chunk 1's second record.
    {
      const b = twoChunks();
      const victim = recordsOf(b, C1)[1]!;
      b[victim.offset + 24] = 0xee; // the record's first BinXML token
      resealChunk(b, C1);
      const r = await scanBytes(b);
      t.deepEqual(r.issues.map((i) => [i.code, i.chunk, i.record]), [['EVTX_BINXML', 1, victim.number]]);
      t.deepEqual(essence(r.detections), await soundDetections(plan, (i) => i !== 2));
    }
    // Truncated inside chunk 1's fourth record: the three before are scanned.
    {
      const full = twoChunks();
      const victim = recordsOf(full, C1)[3]!;
      const r = await scanBytes(full.subarray(0, victim.offset + 40));
      t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.chunk]), [['EVTX_TRUNCATED', 'error', 1]]);
      t.is(r.summary.lines.lines, 4);
      t.deepEqual(essence(r.detections), await soundDetections(plan, (i) => i < 4));
    }
    // Chunk 1's data checksum: its records are scanned, flagged unverified, and the chunk is a warning.
    {
      const b = twoChunks();
      setU32(b, C1 + 52, u32(b, C1 + 52) ^ 1);
      setU32(b, C1 + 124, crc32(b, C1 + 128, C1 + 512, crc32(b, C1, C1 + 120)));
      const r = await scanBytes(b);
      t.deepEqual(r.issues.map((i) => [i.code, i.severity, i.chunk]), [['EVTX_CHUNK_DATA_CHECKSUM', 'warning', 1]]);
      t.deepEqual(essence(r.detections), essence(sound.detections));
      t.deepEqual(r.detections.map((d) => d.verified), sound.detections.map((d) => (d.line > 1 ? false : undefined)));
      t.deepEqual(r.summary.evtx, { files: 1, chunks: 2, chunksDamaged: 0, recordsSkipped: 0, recordsUnverified: 7 });
      t.is(exitStatus(r.summary), 0);
    }
  });
}
