/**
 * Damaged input: copies of shared .evtx bytes are corrupted in memory (chunk header, chunk signature,
 * record header, BinXML, data checksum, truncation) and the decoder must report the damage with its code,
 * chunk and record, skip only what is damaged, and still decode the rest.
 */
import test from 'ava';
import { decodeEvtx, EvtxProblem, EvtxProblemCode } from '../../src/evtx';
import { corpusAvailable, CORPUS_DIR, loadCases, CorpusCase, readBytes } from './corpus';
import { crc32 } from '../../src/evtx/bytes';

const HEADER = 4096;
const CHUNK = 65536;
/** A case with 7 records in one chunk, and a one-record case to put in front of it. */
const MULTI = 'efc21479-9e83-41da-8cf1-122e06ba8db3';
const SINGLE = 'af688c76-4ce4-4309-bfdd-e896f01acf27';

function u32(b: Uint8Array, o: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(o, true);
}
function setU32(b: Uint8Array, o: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(o, v >>> 0, true);
}

/** Offsets (in the file) and record numbers of the records of the chunk at `chunk`. */
function records(b: Uint8Array, chunk: number): { offset: number; number: number }[] {
  const out: { offset: number; number: number }[] = [];
  const free = u32(b, chunk + 48);
  for (let p = chunk + 512; p < chunk + free; p += u32(b, p + 4)) out.push({ offset: p, number: u32(b, p + 8) });
  return out;
}

/** Recomputes the chunk's data and header CRCs, so a test can isolate one kind of damage. */
function resealChunk(b: Uint8Array, chunk: number): void {
  setU32(b, chunk + 52, crc32(b, chunk + 512, chunk + u32(b, chunk + 48)));
  setU32(b, chunk + 124, crc32(b, chunk + 128, chunk + 512, crc32(b, chunk, chunk + 120)));
}

function codes(problems: readonly EvtxProblem[]): string[] {
  return problems.map((p) => p.code).sort();
}

if (!corpusAvailable()) {
  test.skip(`damaged input: ${CORPUS_DIR} is absent, corruption tests not run`, () => {});
} else {
  const cases = new Map<string, CorpusCase>(loadCases().map((c) => [c.ruleId, c]));
  const multi = cases.get(MULTI)!;
  const single = cases.get(SINGLE)!;
  const multiBytes = (): Uint8Array => readBytes(multi.evtxPath).slice();

  /** A two-chunk file: the single case's chunk (index 0), then the multi case's chunk (index 1). */
  const twoChunks = (): Uint8Array => {
    const a = readBytes(single.evtxPath);
    const b = readBytes(multi.evtxPath);
    const out = new Uint8Array(HEADER + 2 * CHUNK);
    out.set(a.subarray(0, HEADER + CHUNK), 0);
    out.set(b.subarray(HEADER, HEADER + CHUNK), HEADER + CHUNK);
    return out;
  };

  test('fixture: the two-chunk file decodes to both cases', (t) => {
    const r = decodeEvtx(twoChunks());
    t.deepEqual(r.problems, []);
    t.deepEqual(r.events, [...single.expected, ...multi.expected]);
  });

  test('chunk header CRC mismatch: chunk reported and skipped, next chunk decoded', (t) => {
    const b = twoChunks();
    b[HEADER + 24] = b[HEADER + 24]! ^ 0xff; // first event record identifier
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.ChunkHeaderChecksum]);
    t.is(r.problems[0]?.chunk, 0);
    t.is(r.problems[0]?.offset, HEADER + 124);
    t.deepEqual(r.events, multi.expected);
  });

  test('bad chunk signature: chunk reported and skipped, other chunk decoded', (t) => {
    const b = twoChunks();
    b[HEADER + CHUNK + 3] = 0x58; // "ElfXhnk"
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BadSignature]);
    t.is(r.problems[0]?.chunk, 1);
    t.is(r.problems[0]?.offset, HEADER + CHUNK);
    t.deepEqual(r.events, single.expected);
  });

  test('bad record signature: record reported with its number and skipped, the others decoded', (t) => {
    const b = multiBytes();
    const recs = records(b, HEADER);
    t.is(recs.length, 7);
    const victim = recs[2]!;
    b[victim.offset] = 0x00;
    resealChunk(b, HEADER);
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BadRecord]);
    t.like(r.problems[0], { chunk: 0, record: victim.number, offset: victim.offset });
    t.deepEqual(r.events, multi.expected.filter((_, i) => i !== 2));
  });

  test('bad record size: walk resyncs on the next record', (t) => {
    const b = multiBytes();
    const victim = records(b, HEADER)[4]!;
    setU32(b, victim.offset + 4, 0x00ff_fff0);
    resealChunk(b, HEADER);
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BadRecord]);
    t.like(r.problems[0], { chunk: 0, record: victim.number });
    t.deepEqual(r.events, multi.expected.filter((_, i) => i !== 4));
  });

  test('record damage without resealing also reports the data checksum', (t) => {
    const b = multiBytes();
    const victim = records(b, HEADER)[1]!;
    b[victim.offset + 1] = 0x2b;
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BadRecord, EvtxProblemCode.ChunkDataChecksum].sort());
    t.deepEqual(r.events, multi.expected.filter((_, i) => i !== 1));
  });

  test('BinXML that does not parse: record reported and skipped, the others decoded', (t) => {
    const b = multiBytes();
    const recs = records(b, HEADER);
    const victim = recs[5]!;
    b[victim.offset + 24] = 0x7f; // replaces the fragment header token with an unknown token
    resealChunk(b, HEADER);
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BinXml]);
    t.like(r.problems[0], { chunk: 0, record: victim.number, offset: victim.offset + 24 });
    t.deepEqual(r.events, multi.expected.filter((_, i) => i !== 5));
  });

  test('BinXML template pointing outside the chunk: record reported, others decoded', (t) => {
    const b = multiBytes();
    const victim = records(b, HEADER)[3]!;
    // Fragment header (4 bytes), then TemplateInstance: token, unknown byte, template id, definition offset.
    t.is(b[victim.offset + 28], 0x0c);
    setU32(b, victim.offset + 34, 0x0001_0000 + 100);
    resealChunk(b, HEADER);
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.BinXml]);
    t.like(r.problems[0], { chunk: 0, record: victim.number });
    t.deepEqual(r.events, multi.expected.filter((_, i) => i !== 3));
  });

  test('data checksum mismatch: records decoded but flagged, or skipped on request', (t) => {
    const b = multiBytes();
    setU32(b, HEADER + 52, u32(b, HEADER + 52) ^ 1);
    setU32(b, HEADER + 124, crc32(b, HEADER + 128, HEADER + 512, crc32(b, HEADER, HEADER + 120)));
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.ChunkDataChecksum]);
    t.is(r.problems[0]?.chunk, 0);
    t.deepEqual(r.events, multi.expected);
    const skipped = decodeEvtx(b, { onDataChecksumMismatch: 'skip' });
    t.deepEqual(codes(skipped.problems), [EvtxProblemCode.ChunkDataChecksum]);
    t.deepEqual(skipped.events, []);
  });

  test('truncated inside a record: complete records decoded, truncation reported', (t) => {
    const full = multiBytes();
    const victim = records(full, HEADER)[3]!;
    const b = full.slice(0, victim.offset + 40);
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.Truncated]);
    t.is(r.problems[0]?.chunk, 0);
    t.is(r.problems[0]?.offset, b.length);
    t.deepEqual(r.events, multi.expected.slice(0, 3));
  });

  test('truncated inside the file header: truncation reported, no events', (t) => {
    const r = decodeEvtx(multiBytes().slice(0, 1000));
    t.deepEqual(codes(r.problems), [EvtxProblemCode.Truncated]);
    t.deepEqual(r.events, []);
  });

  test('file header checksum mismatch is reported, chunks still read', (t) => {
    const b = multiBytes();
    b[24] = b[24]! ^ 0x01; // next record identifier
    const r = decodeEvtx(b);
    t.deepEqual(codes(r.problems), [EvtxProblemCode.FileHeaderChecksum]);
    t.deepEqual(r.events, multi.expected);
  });
}
