/**
 * Opens one input (a file or stdin) as a stream of decompressed bytes. The format comes from the first
 * bytes (gzip is streamed through zlib, never read whole); EVTX, plain or gzip-compressed, is passed on
 * as raw bytes for the caller to cut into chunk blocks; binary inputs are refused with a reason. Errors while reading or inflating surface from the returned stream after every byte that
 * could be decoded, so the lines before a truncation are still scanned.
 */
import { fstatSync, promises as fs, readSync } from 'node:fs';
import * as path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { describeBinary, utf8BomLength } from './detect-format';
import { errorText } from './expand-inputs';
import { GUNZIP_CHUNK_BYTES, READ_BYTES, SNIFF_BYTES } from './limits';
import type { FormatDetector, InputFormat, ScanIssueCode } from './types';

export type SourceRef =
  | { readonly kind: 'file'; readonly path: string; readonly cwd: string }
  | { readonly kind: 'stdin'; readonly stream: Readable };

export type OpenedSource =
  | {
      readonly kind: 'stream';
      readonly format: InputFormat;
      /** What the (decompressed) bytes hold: lines (JSON or text), or an EVTX file. */
      readonly content: 'lines' | 'evtx';
      /** Bytes from `startOffset` on (a UTF-8 byte-order mark is skipped but counted in offsets). */
      readonly data: AsyncIterable<Uint8Array>;
      /**
       * For a plain file: the same bytes read straight into the caller's buffer, which saves a copy and a
       * stream's overhead per chunk. A consumer reads either `data` or `direct`, never both.
       */
      readonly direct?: DirectReader;
      readonly startOffset: number;
    }
  | {
      readonly kind: 'skip';
      readonly format?: InputFormat;
      readonly code: ScanIssueCode;
      readonly severity: 'error' | 'warning';
      readonly reason: string;
    };

export interface DirectReader {
  /** Reads the next bytes into `target` from its start; 0 at the end of the file. Throws a read error. */
  read(target: Uint8Array): number;
  /** The open file's descriptor: any thread of this process may read it until `close`. */
  readonly fd: number;
  /** Reads the bytes at `position` into `target` from its start, neither moving `read` nor counted as read. */
  readAt(target: Uint8Array, position: number): number;
  /** The file's size now. */
  size(): number;
  /** Closes the file; also done at the end of the bytes and by `data`. */
  close(): Promise<void>;
}

/** How a stream error is reported: a failing inflate versus a failing read. */
export function classifyStreamError(e: unknown): { code: ScanIssueCode; reason: string } {
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    const message = e instanceof Error ? e.message : String(e);
    return { code: 'GZIP_ERROR', reason: `gzip: ${message}` };
  }
  return { code: 'READ_ERROR', reason: `read error: ${errorText(e)}` };
}

export async function openSource(
  ref: SourceRef,
  detect: FormatDetector,
  onRead: (bytes: number) => void,
): Promise<OpenedSource> {
  let raw: AsyncIterable<Uint8Array>;
  if (ref.kind === 'file') {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path.resolve(ref.cwd, ref.path), 'r');
    } catch (e) {
      const missing = (e as { code?: unknown }).code === 'ENOENT';
      return { kind: 'skip', code: missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', severity: 'error', reason: errorText(e) };
    }
    // A plain regular file is read straight into the scanner's chunks; anything else (gzip, EVTX, a pipe
    // such as bash's <(zcat ...)) goes through a stream.
    let head: Uint8Array | undefined;
    try {
      if ((await handle.stat()).isFile()) {
        const buf = Buffer.allocUnsafe(SNIFF_BYTES);
        head = buf.subarray(0, (await handle.read(buf, 0, SNIFF_BYTES, 0)).bytesRead);
      }
    } catch (e) {
      await handle.close();
      return { kind: 'skip', code: 'FILE_UNREADABLE', severity: 'error', reason: errorText(e) };
    }
    if (head !== undefined && detect(head) === 'text') {
      const bom = utf8BomLength(head);
      const direct = directReader(handle, bom, onRead);
      return { kind: 'stream', format: 'text', content: 'lines', data: directChunks(direct), startOffset: bom, direct };
    }
    raw = handle.createReadStream({ highWaterMark: READ_BYTES });
  } else {
    raw = ref.stream;
  }
  const outer = await sniff(counted(raw, onRead), SNIFF_BYTES);
  if (outer.head.length === 0 && outer.error !== undefined) {
    return { kind: 'skip', code: 'FILE_UNREADABLE', severity: 'error', reason: errorText(outer.error) };
  }
  const format = detect(outer.head);
  switch (format) {
    case 'text':
      return textStream(format, outer);
    case 'binary':
      await outer.close();
      return { kind: 'skip', format, code: 'BINARY_FILE', severity: 'warning', reason: describeBinary(outer.head) };
    case 'evtx':
      return { kind: 'stream', format, content: 'evtx', data: outer.rest, startOffset: 0 };
    case 'gzip': {
      const inner = await sniff(gunzip(outer.rest), SNIFF_BYTES);
      const innerFormat = detect(inner.head);
      switch (innerFormat) {
        case 'text':
          return textStream(format, inner);
        case 'binary':
          await inner.close();
          return { kind: 'skip', format, code: 'BINARY_FILE', severity: 'warning', reason: `gzip-compressed ${describeBinary(inner.head)}` };
        case 'evtx':
          return { kind: 'stream', format, content: 'evtx', data: inner.rest, startOffset: 0 };
        case 'gzip':
          await inner.close();
          return { kind: 'skip', format, code: 'UNSUPPORTED_FORMAT', severity: 'error', reason: 'gzip inside gzip is not supported' };
        default:
          return assertNever(innerFormat);
      }
    }
    default:
      return assertNever(format);
  }
}

function textStream(format: InputFormat, sniffed: Sniffed): OpenedSource {
  const bom = utf8BomLength(sniffed.head);
  const data = bom === 0 ? sniffed.rest : skipFirst(sniffed.rest, bom);
  return { kind: 'stream', format, content: 'lines', data, startOffset: bom };
}

/** Sync reads from `position` on: a page-cache read of a chunk takes a fraction of a millisecond. */
function directReader(handle: fs.FileHandle, position: number, onRead: (bytes: number) => void): DirectReader {
  let at = position;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  onRead(position); // the byte-order mark, skipped
  return {
    read(target: Uint8Array): number {
      if (closed || target.length === 0) return 0;
      const n = readSync(handle.fd, target, 0, target.length, at);
      at += n;
      onRead(n);
      return n;
    },
    fd: handle.fd,
    readAt: (target, position) => (closed || target.length === 0 ? 0 : readSync(handle.fd, target, 0, target.length, position)),
    size: () => (closed ? 0 : fstatSync(handle.fd).size),
    close,
  };
}

/** A direct reader's bytes as an iterable of fresh buffers, for consumers that take `data`. */
async function* directChunks(direct: DirectReader): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      const n = direct.read(buf);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    await direct.close();
  }
}

async function* skipFirst(source: AsyncIterable<Uint8Array>, n: number): AsyncGenerator<Uint8Array> {
  let left = n;
  for await (const chunk of source) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

async function* counted(source: AsyncIterable<Uint8Array | string>, onRead: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onRead(bytes.length);
    yield bytes;
  }
}

function gunzip(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  // Loaded with the first gzip input: a scan of plain files never needs zlib.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const inflate = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  // Errors reach the consumer through `inflate`'s iterator; the callback only keeps them handled.
  pipeline(Readable.from(source, { objectMode: false }), inflate, () => undefined);
  return inflate;
}

interface Sniffed {
  readonly head: Uint8Array;
  /** All bytes, `head` included; throws a read error met while sniffing after yielding what came before it. */
  readonly rest: AsyncIterable<Uint8Array>;
  readonly error?: unknown;
  close(): Promise<void>;
}

/** Reads at least `want` bytes (or to the end) without losing them. */
async function sniff(source: AsyncIterable<Uint8Array>, want: number): Promise<Sniffed> {
  const it = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let n = 0;
  let finished = false;
  let error: unknown;
  try {
    while (n < want) {
      const r = await it.next();
      if (r.done) {
        finished = true;
        break;
      }
      parts.push(r.value);
      n += r.value.length;
    }
  } catch (e) {
    error = e ?? new Error('unknown read error');
    finished = true;
  }
  const head = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  const close = async (): Promise<void> => {
    if (!finished) {
      finished = true;
      await it.return?.();
    }
  };
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length > 0) yield head;
      if (error !== undefined) throw error;
      while (!finished) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          return;
        }
        yield r.value;
      }
    } finally {
      await close();
    }
  }
  return error === undefined ? { head, rest: rest(), close } : { head, rest: rest(), error, close };
}

function assertNever(x: never): never {
  throw new Error(`unexpected format ${String(x)}`);
}
