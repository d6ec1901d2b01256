/**
 * A worker's reads of the byte ranges the main thread cut from a plain file (range-framer.ts): the file's
 * descriptor belongs to the process, so the main thread's fd reads here too, and the bytes never cross a
 * thread. One buffer is kept and grown; one grown for a rare huge line is let go after use.
 */
import { fstatSync, readSync } from 'node:fs';
import { shrankMessage } from './range-framer';

/** A read buffer bigger than this (a range holding one huge line) is not kept for the next range. */
const KEEP_BUFFER_BYTES = 16 * 1024 * 1024;

export type RangeRead = { readonly kind: 'ok'; readonly bytes: Uint8Array } | { readonly kind: 'failed'; readonly message: string };

export class RangeReader {
  private buffer = new Uint8Array(0);

  /** The `length` bytes at `offset` of `fd`; valid until the next call. A short file or a failing read is `failed`. */
  read(fd: number, offset: number, length: number): RangeRead {
    let buf = this.buffer;
    if (buf.length < length) {
      buf = new Uint8Array(length);
      if (length <= KEEP_BUFFER_BYTES) this.buffer = buf;
    }
    let got = 0;
    try {
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) return { kind: 'failed', message: shrankMessage(Math.min(offset + got, fstatSync(fd).size), offset + length) };
        got += n;
      }
    } catch (e) {
      return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    return { kind: 'ok', bytes: buf.subarray(0, length) };
  }
}
