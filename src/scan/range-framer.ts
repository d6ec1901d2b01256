/**
 * Cuts a plain file into chunks of whole lines by reading only around the cuts: the chunks' bytes are read
 * later by the workers, so the main thread only decides offsets. A cut is the last newline of a small probe
 * that ends `chunkBytes` after the chunk's start. The rare cases give the lines LineFramer gives: a line
 * longer than a chunk is a chunk of its own, a line longer than `maxLineBytes` is a `long-line` item, the
 * last line may lack its newline. Chunk boundaries may differ from LineFramer's; the lines never do.
 * Pure: the file is reached through a RangeSource.
 */
import { framingLimits, NEWLINE, type LongLineItem } from './line-framer';

export type RangeItem =
  | {
      readonly kind: 'range';
      /** File offset of the chunk's first byte; its lines are whole. */
      readonly offset: number;
      readonly length: number;
    }
  | LongLineItem;

export interface RangeSource {
  /** Reads the bytes at `position` into `target` from its start; fewer than asked only at the end of the file. */
  readAt(target: Uint8Array, position: number): number;
  /** The file's size now (a file still written to may grow while it is cut). */
  size(): number;
}

export interface RangeFramerOptions {
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  /** Offset of the first byte of the first line (after a skipped byte-order mark). */
  readonly startOffset?: number;
  /** Bytes read around a cut; a line longer than this costs several probes. */
  readonly probeBytes?: number;
}

/** Enough for the last newline before a cut in every log seen so far (JSON lines of a few KiB). */
export const DEFAULT_PROBE_BYTES = 64 * 1024;

export class RangeFramer {
  private readonly chunkBytes: number;
  private readonly capLimit: number;
  private readonly probe: Uint8Array;
  private pos: number;
  /** The file size as last seen; asked again only near it. */
  private known = 0;

  constructor(
    private readonly source: RangeSource,
    options: RangeFramerOptions,
  ) {
    ({ chunkBytes: this.chunkBytes, capLimit: this.capLimit } = framingLimits(options));
    this.probe = new Uint8Array(Math.min(options.probeBytes ?? DEFAULT_PROBE_BYTES, this.chunkBytes));
    this.pos = options.startOffset ?? 0;
  }

  /** Where the next item starts: after the last one, at the end the file's size. */
  get position(): number {
    return this.pos;
  }

  /** The next chunk or over-long line; undefined at the end of the file. Throws a read error, or when the file shrank. */
  next(): RangeItem | undefined {
    if (this.known - this.pos < this.chunkBytes) this.known = Math.max(this.known, this.source.size());
    const start = this.pos;
    if (start >= this.known) return undefined;
    if (this.known - start < this.chunkBytes) return this.range(start, this.known);
    const cut = this.lastNewline(start, start + this.chunkBytes);
    if (cut >= 0) return this.range(start, cut + 1);
    // The line at `start` fills a chunk: a chunk of its own up to capLimit, a long line beyond.
    const capEnd = Math.min(start + this.capLimit, this.known);
    const nl = this.firstNewline(start + this.chunkBytes, capEnd);
    if (nl >= 0) return this.range(start, nl + 1);
    if (capEnd - start < this.capLimit) return this.range(start, capEnd); // the last line, without newline
    const end = this.firstNewline(capEnd, this.known);
    this.pos = end >= 0 ? end + 1 : this.known;
    return { kind: 'long-line', offset: start, length: (end >= 0 ? end : this.known) - start };
  }

  private range(start: number, end: number): RangeItem {
    this.pos = end;
    return { kind: 'range', offset: start, length: end - start };
  }

  /** Offset of the last newline in [from, to), or -1. */
  private lastNewline(from: number, to: number): number {
    for (let end = to; end > from; ) {
      const begin = Math.max(from, end - this.probe.length);
      const i = this.read(begin, end).lastIndexOf(NEWLINE);
      if (i >= 0) return begin + i;
      end = begin;
    }
    return -1;
  }

  /** Offset of the first newline in [from, to), or -1. */
  private firstNewline(from: number, to: number): number {
    for (let begin = from; begin < to; ) {
      const end = Math.min(to, begin + this.probe.length);
      const i = this.read(begin, end).indexOf(NEWLINE);
      if (i >= 0) return begin + i;
      begin = end;
    }
    return -1;
  }

  /** The bytes [begin, end), which the file had when its size was taken. */
  private read(begin: number, end: number): Uint8Array {
    const want = end - begin;
    let got = 0;
    while (got < want) {
      const n = this.source.readAt(this.probe.subarray(got, want), begin + got);
      if (n === 0) throw new Error(shrankMessage(Math.min(begin + got, this.source.size()), this.known));
      got += n;
    }
    return this.probe.subarray(0, want);
  }
}

/** Why a range could not be read whole: the file ended at `at`, before `expected`. */
export function shrankMessage(at: number, expected: number): string {
  return `the file ended at byte ${at}, before byte ${expected}: it shrank during the scan`;
}
