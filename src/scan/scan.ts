/**
 * `scan()`: inputs → decompressed bytes → line-aligned chunks (or groups of 64 KiB EVTX chunk blocks,
 * which workers decode into JSON lines) → worker threads (or, for an input of one chunk, the main thread
 * with the same code and copied results: `mainThread`) → results in input order → sinks. Two loops share
 * an OrderedQueue: the reader frames chunks and sends them to workers as soon as there is room (so one
 * large file is spread over every worker), the emitter takes slots in input order, numbers lines from the
 * workers' `lineCount`s (the main thread never counts newlines) and feeds the sinks. When the workers take
 * every core, a plain file is not read here at all (reads here would take time from them): the reader only
 * cuts it into ranges of whole lines (range-framer.ts) and each worker reads its ranges from the shared fd,
 * which stays open until the file's last chunk is back. A worker failure aborts the scan with an error; bad
 * input is reported and skipped.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ChunkResult } from '../engine/chunk-contract';
import type { EvtxProblem } from '../evtx/types';
import { Accounting, EvtxTally, FileTally } from './accounting';
import type { EvtxFramedItem } from './evtx-framer';
import { detectFormat as builtinDetectFormat } from './detect-format';
import { expandInputs, STDIN_NAME, type InputEntry } from './expand-inputs';
import {
  CHUNKS_IN_FLIGHT_PER_THREAD,
  RANGES_IN_FLIGHT_PER_THREAD,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_PROGRESS_INTERVAL_MS,
  MIN_CHUNK_BYTES,
} from './limits';
import { LineFramer, type FramedItem } from './line-framer';
import { classifyStreamError, openSource, type DirectReader, type SourceRef } from './open-source';
import { RangeFramer } from './range-framer';
import { OrderedQueue } from './ordered-queue';
import type {
  Detection,
  FileStatus,
  ScanIssue,
  ScanIssueCode,
  ScanOptions,
  ScanSink,
  ScanSummary,
  UnparsedLine,
} from './types';
import type { EvtxChunkInfo } from './worker-messages';
import { usefulWorkers, workersReadFiles } from './worker-count';
import { startInThisThread } from './main-thread-pool';
import { spawnWorkers, type ChunkOutcome } from './worker-pool';

type FileEnding =
  | { readonly kind: 'complete' }
  | { readonly kind: 'failed'; readonly code: ScanIssueCode; readonly severity: 'error' | 'warning'; readonly reason: string; readonly skipped: boolean };

type Slot =
  | { readonly kind: 'issue'; readonly issue: ScanIssue }
  | { readonly kind: 'chunk'; readonly file: FileTally; readonly offset: number; readonly outcome: Promise<ChunkOutcome> }
  | { readonly kind: 'long-line'; readonly file: FileTally; readonly offset: number; readonly length: number }
  | { readonly kind: 'evtx-problems'; readonly file: FileTally; readonly problems: readonly EvtxProblem[] }
  | {
      readonly kind: 'file-end';
      readonly file: FileTally;
      readonly ending: FileEnding;
      /** A file read in ranges by the workers: closed here, where all its chunks are back. */
      readonly range?: DirectReader;
    }
  | { readonly kind: 'end' };

interface Settings {
  readonly threads: number;
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  /** Chunks read and not yet emitted: buffers (memory held while they wait), and ranges of plain files. */
  readonly maxInFlight: number;
  readonly maxRangesInFlight: number;
  /** Plain files on workers are read by the workers, in ranges. */
  readonly workersRead: boolean;
  readonly cwd: string;
  readonly progressIntervalMs: number;
}

function settings(options: ScanOptions): Settings {
  const pending = options.workers;
  if (options.mainThread && (pending || options.threads !== undefined)) throw new RangeError('mainThread takes neither threads nor workers');
  if (options.mainThread && options.plainFileReader === 'workers') throw new RangeError('mainThread has no workers to read files');
  if (pending && options.threads !== undefined && options.threads !== pending.threads) {
    throw new RangeError(`threads is ${options.threads} but ${pending.threads} workers were spawned`);
  }
  if (pending && pending.matcherModule !== options.matcherModule) {
    throw new RangeError(`the spawned workers load ${pending.matcherModule}, not ${options.matcherModule}`);
  }
  const cwd = options.cwd ?? process.cwd();
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES) {
    throw new RangeError(`chunkBytes must be an integer >= ${MIN_CHUNK_BYTES}, got ${chunkBytes}`);
  }
  const threads = options.mainThread ? 1 : pending?.threads ?? options.threads ?? usefulWorkers(options.inputs, os.availableParallelism(), { cwd, chunkBytes });
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const workersRead = options.mainThread ? false : options.plainFileReader ? options.plainFileReader === 'workers' : workersReadFiles(threads, os.availableParallelism());
  const maxInFlight = options.maxChunksInFlight ?? threads * CHUNKS_IN_FLIGHT_PER_THREAD;
  // A range holds no bytes while it waits, so more of them may be in flight (workers reading plain files).
  const maxRangesInFlight = options.maxChunksInFlight ?? threads * (workersRead ? RANGES_IN_FLIGHT_PER_THREAD : CHUNKS_IN_FLIGHT_PER_THREAD);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer`);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxChunksInFlight must be a positive integer`);
  return {
    threads,
    chunkBytes,
    maxLineBytes,
    maxInFlight,
    maxRangesInFlight,
    workersRead,
    cwd,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
  };
}

/** The EVTX decoder and framer, loaded when the first EVTX input is met (most scans have none). */
type EvtxModules = [typeof import('../evtx'), typeof import('./evtx-blocks'), typeof import('./evtx-framer')];
let evtxModules: Promise<EvtxModules> | undefined;
function evtxParts(): Promise<EvtxModules> {
  return (evtxModules ??= Promise.all([import('../evtx'), import('./evtx-blocks'), import('./evtx-framer')]));
}

/** Calls one method on every sink, awaiting only the sinks that return a promise. */
async function notify<K extends keyof ScanSink>(
  sinks: readonly ScanSink[],
  method: K,
  arg: Parameters<NonNullable<ScanSink[K]>>[0],
): Promise<void> {
  for (const sink of sinks) {
    const fn = sink[method] as ((a: typeof arg) => void | Promise<void>) | undefined;
    if (!fn) continue;
    const r = fn.call(sink, arg);
    if (r) await r;
  }
}

export async function scan(options: ScanOptions): Promise<ScanSummary> {
  let s: Settings;
  try {
    s = settings(options);
  } catch (e) {
    await options.workers?.cancel();
    throw e;
  }
  const t0 = performance.now();
  const sinks = options.sinks ?? [];
  // Workers build their matchers while the inputs are listed (in this thread: before).
  const starting = options.mainThread ? startInThisThread(options.matcherModule, options.plan) : (options.workers ?? spawnWorkers(s.threads, options.matcherModule)).start(options.plan);
  const [entries, start] = await Promise.all([expandInputs(options.inputs, s.cwd), starting]);
  const inputCount = entries.filter((e) => e.kind !== 'issue').length;
  if (start.kind === 'failed') {
    const acc = new Accounting([]);
    const issue: ScanIssue = {
      code: 'MATCHER_INIT_FAILED',
      severity: 'error',
      file: options.matcherModule,
      message: `the matcher could not be built: ${start.message}`,
    };
    acc.addIssue(issue);
    await notify(sinks, 'issue', issue);
    skipUnreached(entries, acc, 'not scanned: the matcher could not be built');
    const summary = acc.summary(performance.now() - t0);
    await notify(sinks, 'end', summary);
    return summary;
  }

  const { pool, rules } = start;
  const acc = new Accounting(rules);
  const sizes = entries.map((e) => (e.kind === 'file' ? e.size : e.kind === 'stdin' ? undefined : 0));
  const totalBytes = sizes.every((x) => x !== undefined) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined;
  await notify(sinks, 'start', totalBytes === undefined ? { rules, files: inputCount } : { rules, files: inputCount, totalBytes });

  const queue = new OrderedQueue<Slot>(Math.max(s.maxInFlight, s.maxRangesInFlight));
  const io = { bytesRead: 0, bytesDecompressed: 0, filesDone: 0, current: undefined as string | undefined };
  const freeBuffers: ArrayBuffer[] = [];
  const allocate = (): ArrayBuffer => freeBuffers.pop() ?? new ArrayBuffer(s.chunkBytes);
  const stdin = options.stdin ?? process.stdin;
  const detect = options.detectFormat ?? builtinDetectFormat;
  /** Files read in ranges whose file-end slot has not been emitted; closed after the workers stop at the latest. */
  const openRanges = new Set<DirectReader>();
  /** Files cut short at `offset` by a range a worker could not read: their ending, which comes before the reader's. */
  const cutShort = new Map<FileTally, { readonly ending: FileEnding; readonly offset: number }>();

  /**
   * Byte counts of a file read in ranges: every byte before `to` is read, as the stream path counts them
   * when they are handed to matching (the workers' reads are not waited for); set back to where a read failed.
   */
  const advance = (t: FileTally, to: number): void => {
    io.bytesRead += to - t.bytesRead;
    io.bytesDecompressed += to - t.bytesDecompressed;
    t.bytesRead = to;
    t.bytesDecompressed = to;
  };

  /** Sends a range of an open file to a worker; undefined where the main thread reads plain files itself. */
  const submitRange = s.workersRead ? pool.submitRange?.bind(pool) : undefined;

  /** A plain file on workers: the reader cuts it, each worker reads its ranges from the shared fd. */
  const readRanges = async (tally: FileTally, source: DirectReader, startOffset: number, submit: NonNullable<typeof submitRange>): Promise<void> => {
    openRanges.add(source);
    const framer = new RangeFramer(source, { chunkBytes: s.chunkBytes, maxLineBytes: s.maxLineBytes, startOffset });
    let ending: FileEnding = { kind: 'complete' };
    try {
      while (!cutShort.has(tally)) {
        const item = framer.next();
        if (!item) break;
        if (item.kind === 'long-line') {
          queue.push({ kind: 'long-line', file: tally, offset: item.offset, length: item.length });
        } else {
          if (!(await queue.reserve(s.maxRangesInFlight))) break;
          queue.push({ kind: 'chunk', file: tally, offset: item.offset, outcome: submit(source.fd, item.offset, item.length) });
        }
        advance(tally, framer.position);
      }
    } catch (e) {
      const { code, reason } = classifyStreamError(e);
      ending = { kind: 'failed', code, severity: 'error', reason, skipped: false };
    }
    queue.push({ kind: 'file-end', file: tally, ending, range: source });
  };

  const read = async (): Promise<void> => {
    for (const [index, entry] of entries.entries()) {
      if (queue.isAborted) break;
      if (entry.kind === 'issue') {
        queue.push({ kind: 'issue', issue: entry.issue });
        continue;
      }
      const name = entry.kind === 'file' ? entry.path : STDIN_NAME;
      const tally = new FileTally(name, index);
      io.current = name;
      const ref: SourceRef = entry.kind === 'file' ? { kind: 'file', path: entry.path, cwd: s.cwd } : { kind: 'stdin', stream: stdin };
      const opened = await openSource(ref, detect, (n) => {
        tally.bytesRead += n;
        io.bytesRead += n;
      });
      if (opened.kind === 'skip') {
        if (opened.format !== undefined) tally.format = opened.format;
        queue.push({ kind: 'file-end', file: tally, ending: { kind: 'failed', code: opened.code, severity: opened.severity, reason: opened.reason, skipped: true } });
        continue;
      }
      tally.format = opened.format;
      tally.bytesDecompressed = opened.startOffset;
      if (opened.direct && submitRange) {
        await readRanges(tally, opened.direct, opened.startOffset, submitRange);
        continue;
      }
      const dispatchLines = async (items: readonly FramedItem[]): Promise<boolean> => {
        for (const item of items) {
          if (item.kind === 'long-line') {
            queue.push({ kind: 'long-line', file: tally, offset: item.offset, length: item.length });
            continue;
          }
          if (!(await queue.reserve(s.maxInFlight))) return false;
          const outcome = pool.submit(item.bytes.buffer as ArrayBuffer, item.bytes.length);
          queue.push({ kind: 'chunk', file: tally, offset: item.offset, outcome });
        }
        return true;
      };
      const dispatchEvtx = async (items: readonly EvtxFramedItem[]): Promise<boolean> => {
        const [, { evtxHeaderProblems }] = await evtxParts();
        for (const item of items) {
          if (item.kind === 'header') {
            const problems = evtxHeaderProblems(item.bytes);
            if (problems.length > 0) queue.push({ kind: 'evtx-problems', file: tally, problems });
            continue;
          }
          if (!(await queue.reserve(s.maxInFlight))) return false;
          const content = { kind: 'evtx', fileOffset: item.offset, firstChunk: item.firstChunk } as const;
          const outcome = pool.submit(item.bytes.buffer as ArrayBuffer, item.bytes.length, content);
          queue.push({ kind: 'chunk', file: tally, offset: item.offset, outcome });
        }
        return true;
      };
      let framer: { push(data: Uint8Array): Promise<boolean>; end(): Promise<boolean> };
      let lineFramer: LineFramer | undefined;
      if (opened.content === 'evtx') {
        const [{ CHUNK_SIZE }, , { EvtxFramer, evtxBlocksPerGroup }] = await evtxParts();
        tally.evtx = new EvtxTally();
        const blocksPerGroup = evtxBlocksPerGroup(s.chunkBytes);
        // Group buffers are recycled like line chunks when they have the same size.
        const evtxFramer = new EvtxFramer({ blocksPerGroup, ...(blocksPerGroup * CHUNK_SIZE === s.chunkBytes ? { allocate } : {}) });
        framer = { push: (data) => dispatchEvtx(evtxFramer.push(data)), end: () => dispatchEvtx(evtxFramer.end()) };
      } else {
        const lines = new LineFramer({ chunkBytes: s.chunkBytes, maxLineBytes: s.maxLineBytes, startOffset: opened.startOffset, allocate });
        lineFramer = lines;
        framer = { push: (data) => dispatchLines(lines.push(data)), end: () => dispatchLines(lines.end()) };
      }
      let ending: FileEnding = { kind: 'complete' };
      let live = true;
      try {
        if (opened.direct && lineFramer) {
          // A plain file: read straight into the framer's chunk buffer.
          for (;;) {
            const n = opened.direct.read(lineFramer.space());
            if (n === 0) break;
            tally.bytesDecompressed += n;
            io.bytesDecompressed += n;
            if (!(live = await dispatchLines(lineFramer.commit(n)))) break;
          }
        } else {
          for await (const data of opened.data) {
            tally.bytesDecompressed += data.length;
            io.bytesDecompressed += data.length;
            if (!(live = await framer.push(data))) break;
          }
        }
      } catch (e) {
        const { code, reason } = classifyStreamError(e);
        ending = { kind: 'failed', code, severity: 'error', reason, skipped: false };
      } finally {
        await opened.direct?.close();
      }
      if (live) await framer.end();
      queue.push({ kind: 'file-end', file: tally, ending });
    }
    queue.push({ kind: 'end' });
  };

  let lastProgress = 0;
  const progress = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastProgress < s.progressIntervalMs) return;
    lastProgress = now;
    const p = {
      bytesRead: io.bytesRead,
      bytesDecompressed: io.bytesDecompressed,
      filesDone: io.filesDone,
      files: inputCount,
      elapsedMs: now - t0,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
      ...(io.current !== undefined ? { file: io.current } : {}),
    };
    for (const sink of sinks) sink.progress?.(p);
  };

  const report = async (issue: ScanIssue): Promise<void> => {
    acc.addIssue(issue);
    await notify(sinks, 'issue', issue);
  };

  let abortedBy: string | undefined;
  const emit = async (): Promise<void> => {
    for (;;) {
      const slot = await queue.shift();
      switch (slot.kind) {
        case 'end':
          return;
        case 'issue':
          await report(slot.issue);
          break;
        case 'long-line': {
          const t = slot.file;
          t.lines++;
          t.tooLong++;
          await report({
            code: 'LINE_TOO_LONG',
            severity: 'warning',
            file: t.file,
            line: t.lines,
            offset: slot.offset,
            message: `line longer than ${s.maxLineBytes} bytes (${slot.length} bytes), skipped`,
          });
          break;
        }
        case 'evtx-problems':
          for (const p of slot.problems) await reportEvtxProblem(slot.file, p);
          break;
        case 'chunk': {
          const outcome = await slot.outcome;
          queue.release();
          // After a range that could not be read, the file's later chunks are dropped: their line numbers are unknown.
          if (cutShort.has(slot.file)) break;
          if (outcome.kind === 'read-failed') {
            const ending: FileEnding = { kind: 'failed', code: 'READ_ERROR', severity: 'error', reason: `read error: ${outcome.message}`, skipped: false };
            cutShort.set(slot.file, { ending, offset: slot.offset });
            break;
          }
          if (outcome.kind === 'failed') {
            abortedBy = `the matcher failed at ${slot.file.file}:${slot.file.lines + 1}`;
            await report({
              code: 'MATCHER_FAILED',
              severity: 'error',
              file: slot.file.file,
              line: slot.file.lines + 1,
              offset: slot.offset,
              message: `the matcher failed on the chunk starting here; scan aborted: ${outcome.message}`,
            });
            queue.abort();
            finishAborted(slot.file);
            return;
          }
          if (outcome.buffer?.byteLength === s.chunkBytes && freeBuffers.length < s.maxInFlight) freeBuffers.push(outcome.buffer);
          if (outcome.evtx) await applyEvtxChunk(slot.file, outcome.result, outcome.evtx);
          else await applyChunk(slot.file, outcome.result, (_line, offset) => ({ offset: slot.offset + offset }));
          progress(false);
          break;
        }
        case 'file-end': {
          const t = slot.file;
          const cut = cutShort.get(t);
          if (cut) advance(t, cut.offset);
          const ending = cut?.ending ?? slot.ending;
          if (slot.range) {
            openRanges.delete(slot.range);
            await slot.range.close();
          }
          let status: FileStatus = 'scanned';
          let reason: string | undefined;
          if (ending.kind === 'failed') {
            const e = ending;
            status = e.skipped ? 'skipped' : 'partial';
            reason = e.skipped ? e.reason : `${e.reason} after line ${t.lines} (${t.bytesRead} bytes read, ${t.bytesDecompressed} bytes decoded)`;
            await report({ code: e.code, severity: e.severity, file: t.file, ...(e.skipped ? {} : { line: t.lines }), message: reason });
          }
          io.filesDone++;
          await notify(sinks, 'fileEnd', acc.finishFile(t, status, reason));
          progress(false);
          break;
        }
        default:
          assertNever(slot);
      }
    }
  };

  const reportEvtxProblem = async (t: FileTally, p: EvtxProblem): Promise<void> => {
    t.evtx?.addProblem(p);
    const [, { evtxProblemIssue }] = await evtxParts();
    await report(evtxProblemIssue(p, t.file));
  };

  /** Where a line of a chunk result sits in its input. */
  type Place = (lineIndex: number, offsetInChunk: number) => { readonly offset: number; readonly record?: number; readonly verified?: false };

  /**
   * Accounts a chunk's lines and emits its unparsed lines and detections. `before(offset)` runs ahead
   * of each detection batch cut at `offset`, so EVTX problems come out interleaved in file order.
   */
  const applyChunk = async (
    t: FileTally,
    r: ChunkResult,
    place: Place,
    before?: (offset: number) => Promise<void>,
  ): Promise<void> => {
    const base = t.lines;
    t.lines += r.lineCount;
    t.evaluated += r.evaluated;
    t.emptyLines += r.emptyLines;
    t.unparsed += r.unparsed.length;
    if (!t.contractBroken && r.evaluated + r.emptyLines + r.unparsed.length !== r.lineCount) {
      t.contractBroken = true;
      await report({
        code: 'MATCHER_CONTRACT',
        severity: 'error',
        file: t.file,
        line: base + 1,
        message: `the matcher accounted for ${r.evaluated + r.emptyLines + r.unparsed.length} of ${r.lineCount} lines in a chunk`,
      });
    }
    if (r.unparsed.length > 0) {
      const batch: UnparsedLine[] = r.unparsed.map((u) => ({ file: t.file, line: base + u.lineIndex + 1, offset: place(u.lineIndex, u.offset).offset, reason: u.reason }));
      for (const u of batch) acc.addUnparsedSample(u);
      await notify(sinks, 'unparsed', batch);
    }
    if (r.detections.length > 0) {
      let batch: Detection[] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        t.detections += batch.length;
        await notify(sinks, 'detections', batch);
        batch = [];
      };
      for (const d of r.detections) {
        const rule = rules[d.rule];
        if (!rule) {
          if (!t.contractBroken) {
            t.contractBroken = true;
            await report({ code: 'MATCHER_CONTRACT', severity: 'error', file: t.file, line: base + d.lineIndex + 1, message: `the matcher reported rule index ${d.rule} of ${rules.length}` });
          }
          continue;
        }
        const where = place(d.lineIndex, d.offset);
        if (before) {
          await flush();
          await before(where.offset);
        }
        acc.perRule[d.rule] = (acc.perRule[d.rule] ?? 0) + 1;
        batch.push({ rule, ruleIndex: d.rule, file: t.file, line: base + d.lineIndex + 1, ...where, event: d.event });
      }
      await flush();
    }
  };

  /** An EVTX group: its records are the result's lines; its problems are reported in file order. */
  const applyEvtxChunk = async (t: FileTally, r: ChunkResult, info: EvtxChunkInfo): Promise<void> => {
    const evtx = (t.evtx ??= new EvtxTally());
    evtx.chunks += info.chunks;
    evtx.recordsUnverified += info.unverified.length;
    if (r.lineCount !== info.recordNumbers.length && !t.contractBroken) {
      t.contractBroken = true;
      await report({
        code: 'MATCHER_CONTRACT',
        severity: 'error',
        file: t.file,
        line: t.lines + 1,
        message: `the matcher counted ${r.lineCount} lines for ${info.recordNumbers.length} EVTX records`,
      });
    }
    const unverified = new Set(info.unverified);
    let next = 0; // first problem not yet reported
    const problemsBefore = async (offset: number): Promise<void> => {
      while (next < info.problems.length && (info.problems[next] as EvtxProblem).offset < offset) {
        await reportEvtxProblem(t, info.problems[next++] as EvtxProblem);
      }
    };
    const place: Place = (line) => {
      const offset = info.recordOffsets[line] ?? 0;
      const record = info.recordNumbers[line] ?? 0;
      return unverified.has(line) ? { offset, record, verified: false } : { offset, record };
    };
    await applyChunk(t, r, place, problemsBefore);
    await problemsBefore(Infinity);
  };

  const finishAborted = (current: FileTally): void => {
    acc.finishFile(current, 'partial', abortedBy);
  };

  const reading = read().catch(async (e: unknown) => {
    // An internal failure of the reading side: report it, stop the emitter.
    abortedBy = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    queue.abort();
    queue.push({ kind: 'end' });
    await report({ code: 'READ_ERROR', severity: 'error', message: abortedBy });
  });
  try {
    await emit();
  } finally {
    // Also when a sink throws: the workers stop and no file stays open.
    queue.abort();
    await reading;
    await pool.close();
    // Only now that no worker can still be reading them (a closed fd's number is soon reused).
    await Promise.all([...openRanges].map((source) => source.close()));
  }
  if (abortedBy !== undefined) skipUnreached(entries, acc, `not scanned: ${abortedBy}`);
  progress(true);
  const summary = acc.summary(performance.now() - t0);
  await notify(sinks, 'end', summary);
  return summary;
}

function skipUnreached(entries: readonly InputEntry[], acc: Accounting, reason: string): void {
  for (const [index, entry] of entries.entries()) {
    if (entry.kind === 'issue' || acc.hasReport(index)) continue;
    acc.finishFile(new FileTally(entry.kind === 'file' ? entry.path : STDIN_NAME, index), 'skipped', reason);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected slot ${JSON.stringify(x)}`);
}
