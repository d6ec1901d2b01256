/**
 * Self-contained EVTX inputs for the scan tests (no /work/shared needed): Sysmon-like process-creation
 * records written with the decoder tests' BinXML writer, several one-chunk files joined into one
 * multi-chunk file, and a rule that matches some of them.
 */
import { crc32 } from '../../src/evtx/bytes';
import { BinXmlWriter, buildEvtx, le16, le64, utf16le, type Sub } from '../evtx/build-evtx';

export interface ProcessEvent {
  readonly recordId: number;
  readonly eventId: number;
  readonly image: string;
  readonly commandLine: string;
}

const T = { String: 0x01, UInt16: 0x06, UInt64: 0x0a } as const;

function template(w: BinXmlWriter): void {
  w.element('Event', [['xmlns', (a) => void a.text('http://schemas.microsoft.com/win/2004/08/events/event')]], (e) => {
    e.element('System', [], (s) => {
      s.element('Provider', [['Name', (a) => void a.text('Microsoft-Windows-Sysmon')]]);
      s.element('EventID', [], (x) => void x.sub(0, T.UInt16));
      s.element('EventRecordID', [], (x) => void x.sub(1, T.UInt64));
      s.element('Channel', [], (x) => void x.text('Microsoft-Windows-Sysmon/Operational'));
    });
    e.element('EventData', [], (d) => {
      d.element('Data', [['Name', (a) => void a.text('Image')]], (x) => void x.sub(2, T.String));
      d.element('Data', [['Name', (a) => void a.text('CommandLine')]], (x) => void x.sub(3, T.String));
    });
  });
}

const str = (s: string): Sub => ({ type: T.String, bytes: [...utf16le(s), 0, 0] });

/** A one-chunk EVTX file; the chunk's record headers are numbered from `firstRecord`. */
export function processEvtx(events: readonly ProcessEvent[], firstRecord = 1): Uint8Array {
  let def = 0;
  return buildEvtx(
    events.map((ev, i) => (w: BinXmlWriter): void => {
      w.fragmentHeader();
      const subs: Sub[] = [{ type: T.UInt16, bytes: le16(ev.eventId) }, { type: T.UInt64, bytes: le64(BigInt(ev.recordId)) }, str(ev.image), str(ev.commandLine)];
      if (i === 0) def = w.template({ body: template }, subs);
      else w.template({ offset: def }, subs);
    }),
    firstRecord,
  );
}

/** The JSON the decoder must give for `ev` (evtx_dump's shape). */
export function processEventJson(ev: ProcessEvent): Record<string, unknown> {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
        EventID: ev.eventId,
        EventRecordID: ev.recordId,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
      },
      EventData: { Image: ev.image, CommandLine: ev.commandLine },
    },
  };
}

export const HEADER_BYTES = 4096;
export const CHUNK_BYTES = 65536;

/** One file made of the chunks of one-chunk files, in order, with a consistent file header. */
export function joinChunks(files: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + files.length * CHUNK_BYTES);
  out.set((files[0] as Uint8Array).subarray(0, HEADER_BYTES));
  files.forEach((f, i) => out.set(f.subarray(HEADER_BYTES, HEADER_BYTES + CHUNK_BYTES), HEADER_BYTES + i * CHUNK_BYTES));
  const dv = new DataView(out.buffer);
  dv.setBigUint64(16, BigInt(files.length - 1), true);
  dv.setUint16(42, files.length, true);
  dv.setUint32(124, crc32(out, 0, 120), true);
  return out;
}

/** `n` process events spread over chunks of `perChunk` records; every `every`-th runs evil.exe. */
export function manyEvents(n: number, every: number): ProcessEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    recordId: 5000 + i,
    eventId: i % 7 === 3 ? 3 : 1,
    image: i % every === 0 ? `C:\\Temp\\evil.exe` : `C:\\Windows\\System32\\proc${i}.exe`,
    commandLine: `proc${i} --arg ${'x'.repeat(1 + (i % 50))}`,
  }));
}

/** A file of several chunks holding `events`, `perChunk` records per chunk. */
export function multiChunkEvtx(events: readonly ProcessEvent[], perChunk: number): Uint8Array {
  const files: Uint8Array[] = [];
  for (let i = 0; i < events.length; i += perChunk) files.push(processEvtx(events.slice(i, i + perChunk), 1 + i));
  return joinChunks(files);
}

export const EVIL_RULE = `title: Evil process
id: 11111111-2222-3333-4444-555555555555
status: test
level: high
tags: [attack.execution]
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\evil.exe'
  condition: selection
`;
