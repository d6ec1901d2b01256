/**
 * `readEvents()`: every input sigrep reads, as events, one compact JSON text per event, in input order —
 * what `sigrep events` prints and what `sigrep scan` evaluates. EVTX (plain or gzip) is decoded record by
 * record into evtx_dump's shape; a JSON-lines line is parsed and re-printed compact; a text line becomes
 * a JSON string of the line as the scanner sees it (surrounding white space trimmed), so every output
 * line is JSON. Blank lines are not events. A malformed JSON line is reported as unparsed and skipped.
 *
 * It streams like the scanner (bounded memory, backpressure through the sinks) but decodes on the
 * calling thread: no rules, no workers.
 */
import { performance } from 'node:perf_hooks';
import { type EvtxProblem } from '../evtx';
import { EvtxTally } from './accounting';
import { detectFormat as builtinDetectFormat } from './detect-format';
import { decodeEvtxBlocks, eventRecordId, evtxHeaderProblems, evtxProblemIssue } from './evtx-blocks';
import { EvtxFramer, evtxBlocksPerGroup, type EvtxFramedItem } from './evtx-framer';
import { expandInputs, STDIN_NAME } from './expand-inputs';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES } from './limits';
import { LineFramer, type FramedItem } from './line-framer';
import { classifyStreamError, openSource, type SourceRef } from './open-source';
import type { EvtxCounts, FileStatus, FormatDetector, InputFormat, ScanIssue, UnparsedLine } from './types';
import type { Readable } from 'node:stream';

/** One event: where it is (as a scan detection would place it) and its compact JSON text, without newline. */
export interface EventLine {
  readonly file: string;
  /** Line number; for EVTX the record's ordinal among the records decoded. */
  readonly line: number;
  /** Byte offset of the line (EVTX: of the record header) in the decompressed input. */
  readonly offset: number;
  /** EVTX only: System.EventRecordID, else the record header's number. */
  readonly record?: number;
  /** EVTX only, and only when false: the record's chunk failed its data checksum. */
  readonly verified?: false;
  readonly json: string;
}

export interface EventsFileReport {
  readonly file: string;
  readonly status: FileStatus;
  readonly reason?: string;
  readonly format?: InputFormat;
  /** Lines read (EVTX: records decoded) = events + emptyLines + unparsed + tooLong. */
  readonly lines: number;
  readonly events: number;
  readonly emptyLines: number;
  readonly unparsed: number;
  readonly tooLong: number;
  readonly bytesRead: number;
  readonly bytesDecompressed: number;
  readonly evtx?: EvtxCounts;
}

export interface EventsSummary {
  /** False when an error issue was reported (exit status 2). */
  readonly ok: boolean;
  readonly files: readonly EventsFileReport[];
  readonly events: number;
  readonly unparsed: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly elapsedMs: number;
}

/** Receives events in input order; a returned promise is awaited (backpressure). */
export interface EventsSink {
  events?(batch: readonly EventLine[]): void | Promise<void>;
  unparsed?(line: UnparsedLine): void | Promise<void>;
  issue?(issue: ScanIssue): void | Promise<void>;
  fileEnd?(report: EventsFileReport): void | Promise<void>;
}

export interface EventsOptions {
  /** Files, directories, globs; `-` or none = stdin (as for `scan`). */
  readonly inputs: readonly string[];
  readonly sinks?: readonly EventsSink[];
  readonly cwd?: string;
  readonly stdin?: Readable;
  readonly detectFormat?: FormatDetector;
  /** Longer lines are reported (warning) and skipped; default DEFAULT_MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Read granularity; default DEFAULT_CHUNK_BYTES. */
  readonly chunkBytes?: number;
}

/** White space the engine trims around a line (it decides empty / JSON / text the same way). */
const SPACE = new Set([0x20, 0x09, 0x0d, 0x0b, 0x0c]);
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

class Tally {
  format: InputFormat | undefined;
  lines = 0;
  events = 0;
  emptyLines = 0;
  unparsed = 0;
  tooLong = 0;
  bytesRead = 0;
  bytesDecompressed = 0;
  evtx: EvtxTally | undefined;
  constructor(readonly file: string) {}

  report(status: FileStatus, reason?: string): EventsFileReport {
    return {
      file: this.file,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(this.format !== undefined ? { format: this.format } : {}),
      lines: this.lines,
      events: this.events,
      emptyLines: this.emptyLines,
      unparsed: this.unparsed,
      tooLong: this.tooLong,
      bytesRead: this.bytesRead,
      bytesDecompressed: this.bytesDecompressed,
      ...(this.evtx ? { evtx: this.evtx.counts() } : {}),
    };
  }
}

export async function readEvents(options: EventsOptions): Promise<EventsSummary> {
  const t0 = performance.now();
  const sinks = options.sinks ?? [];
  const cwd = options.cwd ?? process.cwd();
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const detect = options.detectFormat ?? builtinDetectFormat;
  const reports: EventsFileReport[] = [];
  let errorCount = 0;
  let warningCount = 0;

  const call = async <K extends keyof EventsSink>(method: K, arg: Parameters<NonNullable<EventsSink[K]>>[0]): Promise<void> => {
    for (const sink of sinks) {
      const fn = sink[method] as ((a: typeof arg) => void | Promise<void>) | undefined;
      const r = fn?.call(sink, arg);
      if (r) await r;
    }
  };
  const report = async (issue: ScanIssue): Promise<void> => {
    if (issue.severity === 'error') errorCount++;
    else warningCount++;
    await call('issue', issue);
  };
  const evtxProblem = async (t: Tally, p: EvtxProblem): Promise<void> => {
    t.evtx?.addProblem(p);
    await report(evtxProblemIssue(p, t.file));
  };
  const finish = async (t: Tally, status: FileStatus, reason?: string): Promise<void> => {
    const r = t.report(status, reason);
    reports.push(r);
    await call('fileEnd', r);
  };

  /** Whole lines of a framed chunk → events, blanks, unparsed lines. */
  const lines = async (t: Tally, bytes: Uint8Array, chunkOffset: number): Promise<void> => {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const batch: EventLine[] = [];
    const unparsed: UnparsedLine[] = [];
    for (let pos = 0; pos < buf.length; ) {
      const nl = buf.indexOf(NEWLINE, pos);
      const lineEnd = nl < 0 ? buf.length : nl;
      const line = ++t.lines;
      const offset = chunkOffset + pos;
      let start = pos;
      let end = lineEnd;
      pos = lineEnd + 1;
      while (start < end && SPACE.has(buf[start] as number)) start++;
      while (end > start && SPACE.has(buf[end - 1] as number)) end--;
      if (start === end) {
        t.emptyLines++;
        continue;
      }
      const text = buf.toString('utf8', start, end);
      if (buf[start] !== OPEN_BRACE) {
        batch.push({ file: t.file, line, offset, json: JSON.stringify(text) });
        continue;
      }
      if (buf[end - 1] !== CLOSE_BRACE) {
        unparsed.push({ file: t.file, line, offset, reason: 'incomplete JSON object (the line does not end with "}")' });
        continue;
      }
      try {
        batch.push({ file: t.file, line, offset, json: JSON.stringify(JSON.parse(text)) });
      } catch (e) {
        unparsed.push({ file: t.file, line, offset, reason: `invalid JSON: ${(e as Error).message}` });
      }
    }
    // Unparsed lines are reported before the chunk's events: both keep line order within their stream.
    t.unparsed += unparsed.length;
    for (const u of unparsed) await call('unparsed', u);
    t.events += batch.length;
    if (batch.length > 0) await call('events', batch);
  };

  const evtxItems = async (t: Tally, items: readonly EvtxFramedItem[]): Promise<void> => {
    for (const item of items) {
      if (item.kind === 'header') {
        for (const p of evtxHeaderProblems(item.bytes)) await evtxProblem(t, p);
        continue;
      }
      const decoded = decodeEvtxBlocks(item.bytes, item.offset, item.firstChunk);
      const evtx = (t.evtx ??= new EvtxTally());
      evtx.chunks += decoded.chunks;
      let batch: EventLine[] = [];
      let next = 0;
      const problemsBefore = async (offset: number): Promise<void> => {
        while (next < decoded.problems.length && (decoded.problems[next] as EvtxProblem).offset < offset) {
          if (batch.length > 0) {
            await call('events', batch);
            batch = [];
          }
          await evtxProblem(t, decoded.problems[next++] as EvtxProblem);
        }
      };
      for (const r of decoded.records) {
        await problemsBefore(r.offset);
        const line = ++t.lines;
        t.events++;
        const record = eventRecordId(r.event) ?? r.recordNumber;
        if (!r.verified) evtx.recordsUnverified++;
        const json = JSON.stringify(r.event);
        batch.push(r.verified ? { file: t.file, line, offset: r.offset, record, json } : { file: t.file, line, offset: r.offset, record, verified: false, json });
      }
      await problemsBefore(Infinity);
      if (batch.length > 0) await call('events', batch);
    }
  };

  const entries = await expandInputs(options.inputs, cwd);
  for (const entry of entries) {
    if (entry.kind === 'issue') {
      await report(entry.issue);
      continue;
    }
    const t = new Tally(entry.kind === 'file' ? entry.path : STDIN_NAME);
    const ref: SourceRef = entry.kind === 'file' ? { kind: 'file', path: entry.path, cwd } : { kind: 'stdin', stream: options.stdin ?? process.stdin };
    const opened = await openSource(ref, detect, (n) => (t.bytesRead += n));
    if (opened.kind === 'skip') {
      if (opened.format !== undefined) t.format = opened.format;
      await report({ code: opened.code, severity: opened.severity, file: t.file, message: opened.reason });
      await finish(t, 'skipped', opened.reason);
      continue;
    }
    t.format = opened.format;
    t.bytesDecompressed = opened.startOffset;
    let push: (data: Uint8Array) => Promise<void>;
    let end: () => Promise<void>;
    if (opened.content === 'evtx') {
      t.evtx = new EvtxTally();
      const framer = new EvtxFramer({ blocksPerGroup: evtxBlocksPerGroup(chunkBytes) });
      push = (data) => evtxItems(t, framer.push(data));
      end = () => evtxItems(t, framer.end());
    } else {
      const framer = new LineFramer({ chunkBytes, maxLineBytes, startOffset: opened.startOffset });
      const items = async (framed: readonly FramedItem[]): Promise<void> => {
        for (const item of framed) {
          if (item.kind === 'chunk') {
            await lines(t, item.bytes, item.offset);
            continue;
          }
          t.lines++;
          t.tooLong++;
          const message = `line longer than ${maxLineBytes} bytes (${item.length} bytes), skipped`;
          await report({ code: 'LINE_TOO_LONG', severity: 'warning', file: t.file, line: t.lines, offset: item.offset, message });
        }
      };
      push = (data) => items(framer.push(data));
      end = () => items(framer.end());
    }
    try {
      for await (const data of opened.data) {
        t.bytesDecompressed += data.length;
        await push(data);
      }
    } catch (e) {
      const { code, reason } = classifyStreamError(e);
      await end();
      const why = `${reason} after line ${t.lines} (${t.bytesRead} bytes read, ${t.bytesDecompressed} bytes decoded)`;
      await report({ code, severity: 'error', file: t.file, line: t.lines, message: why });
      await finish(t, 'partial', why);
      continue;
    }
    await end();
    await finish(t, 'scanned');
  }
  const sum = (k: 'events' | 'unparsed'): number => reports.reduce((n, r) => n + r[k], 0);
  return {
    ok: errorCount === 0,
    files: reports,
    events: sum('events'),
    unparsed: sum('unparsed'),
    errorCount,
    warningCount,
    elapsedMs: performance.now() - t0,
  };
}
