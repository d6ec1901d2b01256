/**
 * Decoder behaviour on hand-built files (no shared data needed): value types, template reuse, evtx_dump
 * JSON conventions (#attributes, #text, flattened and positional Data, UserData, arrays, empty elements),
 * and the problems reported for input that is not EVTX at all.
 */
import test from 'ava';
import { decodeEvtx, decodeEvtxChunk, EvtxProblemCode, isEvtx, listEvtxChunks, readEvtxFileHeader } from '../../src/evtx';
import { BinXmlWriter, buildEvtx, le16, le32, le64, Sub, utf16le } from './build-evtx';

const XMLNS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const GUID_BYTES = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
const GUID_TEXT = '5770385F-C22A-43E0-BF4C-06F5698FFBD9';
const SID_BYTES = [1, 4, 0, 0, 0, 0, 0, 5, ...le32(21), ...le32(1), ...le32(2), ...le32(3)];
const FILETIME = BigInt(Date.UTC(2025, 10, 26, 5, 11, 27, 927)) * 10000n + 6935n + 116444736000000000n;
const SYSTIME = [2024, 2, 4, 29, 13, 14, 15, 123].flatMap(le16);

const T = { String: 0x01, Int32: 0x07, UInt16: 0x06, UInt32: 0x08, UInt64: 0x0a, Real32: 0x0b, Real64: 0x0c, Bool: 0x0d,
  Binary: 0x0e, Guid: 0x0f, FileTime: 0x11, SysTime: 0x12, Sid: 0x13, HexInt32: 0x14, HexInt64: 0x15, BinXml: 0x21 } as const;

const xmlns = (w: BinXmlWriter): void => void w.text(XMLNS);
const data = (name: string, body: (w: BinXmlWriter) => void) => (w: BinXmlWriter): void =>
  void w.element('Data', [['Name', (a) => void a.text(name)]], body);

/** Template 1: System with attributes and typed values, EventData with named Data of every scalar type. */
function template1(w: BinXmlWriter): void {
  w.element('Event', [['xmlns', xmlns]], (e) => {
    e.element('System', [], (s) => {
      s.element('Provider', [['Name', (a) => void a.text('Test-Provider')], ['Guid', (a) => void a.sub(0, T.Guid)]]);
      s.element('EventID', [], (x) => void x.sub(1, T.UInt16));
      s.element('TimeCreated', [['SystemTime', (a) => void a.sub(2, T.FileTime)]]);
      s.element('Correlation', [['ActivityID', (a) => void a.sub(3, T.Guid, true)]]);
      s.element('Security', [['UserID', (a) => void a.sub(4, T.Sid, true)]]);
      s.element('Keywords', [], (x) => void x.sub(5, T.HexInt64));
    });
    e.element('EventData', [], (d) => {
      data('Str', (x) => void x.sub(6, T.String))(d);
      data('Int', (x) => void x.sub(7, T.Int32))(d);
      data('Big', (x) => void x.sub(8, T.UInt64))(d);
      data('Bin', (x) => void x.sub(9, T.Binary))(d);
      data('Bool', (x) => void x.sub(10, T.Bool))(d);
      data('Real', (x) => void x.sub(11, T.Real64))(d);
      data('Hex32', (x) => void x.sub(12, T.HexInt32))(d);
      data('Sys', (x) => void x.sub(13, T.SysTime))(d);
      data('Empty', (x) => void x.sub(14, T.String))(d);
      data('Arr', (x) => void x.sub(15, 0x81))(d);
      data('Ints', (x) => void x.sub(16, 0x86))(d);
      data('Mixed', (x) => void x.text('pre-').sub(17, T.Int32))(d);
      data('Float32', (x) => void x.sub(18, T.Real32))(d);
    });
  });
}

function values1(eventId: number, str: string, sid: boolean): Sub[] {
  return [
    { type: T.Guid, bytes: GUID_BYTES },
    { type: T.UInt16, bytes: le16(eventId) },
    { type: T.FileTime, bytes: le64(FILETIME) },
    { type: 0x00, bytes: [] },
    sid ? { type: T.Sid, bytes: SID_BYTES } : { type: 0x00, bytes: [] },
    { type: T.HexInt64, bytes: le64(0x8000000000000000n) },
    { type: T.String, bytes: [...utf16le(str), 0, 0] },
    { type: T.Int32, bytes: le32(-5) },
    { type: T.UInt64, bytes: le64(18446744073709551615n) },
    { type: T.Binary, bytes: [0xde, 0xad, 0xbe, 0xef] },
    { type: T.Bool, bytes: le32(1) },
    { type: T.Real64, bytes: [...new Uint8Array(new Float64Array([1.5]).buffer)] },
    { type: T.HexInt32, bytes: le32(0x3b5e64) },
    { type: T.SysTime, bytes: SYSTIME },
    { type: T.String, bytes: [] },
    { type: 0x81, bytes: [...utf16le('a'), 0, 0, ...utf16le('b'), 0, 0] },
    { type: 0x86, bytes: le16(7) },
    { type: T.Int32, bytes: le32(5) },
    { type: T.Real32, bytes: [...new Uint8Array(new Float32Array([0.1]).buffer)] },
  ];
}

function expected1(eventId: number, str: string, sid: boolean): Record<string, unknown> {
  return {
    Event: {
      '#attributes': { xmlns: XMLNS },
      System: {
        Provider: { '#attributes': { Name: 'Test-Provider', Guid: GUID_TEXT } },
        EventID: eventId,
        TimeCreated: { '#attributes': { SystemTime: '2025-11-26T05:11:27.927693Z' } },
        Correlation: null,
        Security: sid ? { '#attributes': { UserID: 'S-1-5-21-1-2-3' } } : null,
        Keywords: '0x8000000000000000',
      },
      EventData: {
        Str: str.trimEnd(),
        Int: -5,
        Big: 18446744073709551615,
        Bin: 'DEADBEEF',
        Bool: true,
        Real: 1.5,
        Hex32: '0x3b5e64',
        Sys: '2024-02-29T13:14:15.123000Z',
        Empty: '',
        Arr: 'a',
        Arr_1: 'b',
        Ints: 7,
        Mixed: 'pre-5',
        Float32: 0.1,
      },
    },
  };
}

/** Template 3: positional (unnamed) Data, a Binary element, and UserData from a nested BinXml value. */
function template3(w: BinXmlWriter): void {
  w.element('Event', [['xmlns', xmlns]], (e) => {
    e.element('System', [], (s) => void s.element('EventID', [], (x) => void x.sub(0, T.UInt16)));
    e.element('EventData', [], (d) => {
      d.element('Data', [], (x) => void x.sub(1, T.String));
      d.element('Data', [], (x) => void x.sub(2, T.String));
      d.element('Binary', [], (x) => void x.sub(3, T.Binary));
    });
    e.sub(4, T.BinXml);
  });
}

const userData: Sub = {
  type: T.BinXml,
  fragment: (w) =>
    void w.template(
      {
        body: (b) =>
          void b.element('UserData', [], (u) =>
            void u.element('Op', [['xmlns', (a) => void a.text('urn:x')]], (op) => {
              op.element('Id', [], (x) => void x.sub(0, T.Guid));
              op.element('Count', [], (x) => void x.sub(1, T.UInt32));
              op.element('Note', [['Lang', (a) => void a.text('en')]], (x) => void x.text('a &amp; b'));
            }),
          ),
      },
      [{ type: T.Guid, bytes: GUID_BYTES }, { type: T.UInt32, bytes: le32(3) }],
    ),
};

function buildSample(): Uint8Array {
  let def1 = 0;
  return buildEvtx([
    (w) => void (w.fragmentHeader(), (def1 = w.template({ body: template1 }, values1(1, 'hello  ', true)))),
    // Same template by reference: exercises the per-chunk template cache.
    (w) => void (w.fragmentHeader(), w.template({ offset: def1 }, values1(2, 'second', false))),
    (w) =>
      void (w.fragmentHeader(),
      w.template({ body: template3 }, [
        { type: T.UInt16, bytes: le16(9) },
        { type: T.String, bytes: utf16le('x') },
        { type: T.String, bytes: utf16le('y') },
        { type: T.Binary, bytes: [0xde, 0xad] },
        userData,
      ])),
    (w) => void (w.fragmentHeader(), w.template({ body: (b) => void b.element('Event', [], (e) => void e.element('EventData', [])) }, [])),
  ], 100);
}

test('hand-built file: value types and evtx_dump JSON conventions', (t) => {
  const r = decodeEvtx(buildSample());
  t.deepEqual(r.problems, []);
  t.is(r.events.length, 4);
  t.deepEqual(r.events[0], expected1(1, 'hello  ', true));
  t.deepEqual(r.events[1], expected1(2, 'second', false));
  t.deepEqual(r.events[2], {
    Event: {
      '#attributes': { xmlns: XMLNS },
      System: { EventID: 9 },
      EventData: { Data: { '#text': ['x', 'y'] }, Binary: 'DEAD' },
      UserData: {
        Op: {
          '#attributes': { xmlns: 'urn:x' },
          Id: GUID_TEXT,
          Count: 3,
          Note: { '#attributes': { Lang: 'en' }, '#text': 'a &amp; b' },
        },
      },
    },
  });
  t.deepEqual(r.events[3], { Event: { EventData: null } });
});

test('hand-built file: chunk API gives record numbers and verified flags', (t) => {
  const bytes = buildSample();
  const header = readEvtxFileHeader(bytes);
  t.deepEqual(header.problems, []);
  t.like(header.header, { majorVersion: 3, minorVersion: 1, chunkCount: 1, checksumOk: true });
  const chunks = listEvtxChunks(bytes);
  t.deepEqual(chunks, [{ index: 0, offset: 4096, length: 65536 }]);
  const r = decodeEvtxChunk(bytes, 4096, 0);
  t.deepEqual(r.problems, []);
  t.deepEqual(r.records.map((x) => [x.recordNumber, x.verified]), [[100, true], [101, true], [102, true], [103, true]]);
  // Offsets are those of the record headers in the bytes passed (here the whole file).
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  t.deepEqual(r.records.map((x) => [dv.getUint32(x.offset, true), Number(dv.getBigUint64(x.offset + 8, true))]), [[0x2a2a, 100], [0x2a2a, 101], [0x2a2a, 102], [0x2a2a, 103]]);
  t.is(r.records[0]?.offset, 4096 + 512);
});

test('isEvtx checks the "ElfFile\\0" signature', (t) => {
  t.true(isEvtx(buildSample().subarray(0, 8)));
  t.false(isEvtx(new TextEncoder().encode('{"Event":{}}\n')));
  t.false(isEvtx(new Uint8Array([0x45, 0x6c, 0x66])));
});

test('a buffer that is not EVTX: EVTX_BAD_SIGNATURE, no events', (t) => {
  const r = decodeEvtx(new TextEncoder().encode('{"Event":{"System":{}}}\n'.repeat(300)));
  t.deepEqual(r.events, []);
  t.deepEqual(r.problems.map((p) => [p.code, p.offset]), [[EvtxProblemCode.BadSignature, 0]]);
});

test('an empty buffer: EVTX_BAD_SIGNATURE', (t) => {
  t.deepEqual(decodeEvtx(new Uint8Array(0)).problems.map((p) => p.code), [EvtxProblemCode.BadSignature]);
});

test('unused all-zero chunk blocks are not listed nor reported', (t) => {
  const one = buildSample();
  const bytes = new Uint8Array(one.length + 65536);
  bytes.set(one);
  t.is(listEvtxChunks(bytes).length, 1);
  const r = decodeEvtx(bytes);
  t.deepEqual(r.problems, []);
  t.is(r.events.length, 4);
});

test('a template that refers to itself is a BinXML problem, not a hang', (t) => {
  // The record's template body holds a template instance pointing back at the same definition.
  const bytes = buildEvtx([
    (w) => {
      w.fragmentHeader();
      const defAt = w.pos + 10; // token, unknown byte, id and offset field come first
      w.template({ body: (b) => void b.element('Event', [], (e) => void e.template({ offset: defAt }, [])) }, []);
    },
  ]);
  const r = decodeEvtx(bytes);
  t.deepEqual(r.events, []);
  t.deepEqual(r.problems.map((p) => [p.code, p.chunk, p.record]), [[EvtxProblemCode.BinXml, 0, 1]]);
});
