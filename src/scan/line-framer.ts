/**
 * Cuts a byte stream into chunks of whole lines without counting lines: it only looks for the last
 * newline of a full buffer. Each chunk owns its ArrayBuffer, so it can be transferred to a worker.
 * A line longer than the chunk grows the buffer (doubling) up to `maxLineBytes`; a longer line is
 * dropped byte by byte until its newline and reported as a `long-line` item, so memory stays bounded.
 * Pure: no I/O; the caller feeds bytes and receives items in stream order.
 */

export type FramedItem =
  | {
      readonly kind: 'chunk';
      /** A view from 0 on a buffer owned by this chunk alone. */
      readonly bytes: Uint8Array;
      /** Offset of the chunk's first byte in the stream. */
      readonly offset: number;
    }
  | {
      readonly kind: 'long-line';
      readonly offset: number;
      /** Bytes of the line without its newline. */
      readonly length: number;
    };

export type LongLineItem = Extract<FramedItem, { readonly kind: 'long-line' }>;

export interface FramerOptions {
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  /** Offset of the first byte fed (a skipped byte-order mark). */
  readonly startOffset?: number;
  /** Returns a buffer of `chunkBytes` bytes, e.g. a recycled one. */
  readonly allocate?: () => ArrayBuffer;
}

export const NEWLINE = 0x0a;

/**
 * The limits every line framer applies: a line of `maxLineBytes` plus its newline must fit in `capLimit`
 * bytes, and a chunk is never bigger than that, so a chunk of whole lines cut within `chunkBytes` holds no
 * line that is too long.
 */
export function framingLimits(options: Pick<FramerOptions, 'chunkBytes' | 'maxLineBytes'>): { readonly chunkBytes: number; readonly capLimit: number } {
  const capLimit = options.maxLineBytes + 1;
  return { chunkBytes: Math.min(options.chunkBytes, capLimit), capLimit };
}

export class LineFramer {
  private readonly chunkBytes: number;
  /** A line of `maxLineBytes` plus its newline must fit. */
  private readonly capLimit: number;
  private readonly allocate: () => ArrayBuffer;
  private buf: Uint8Array;
  private fill = 0;
  /** Stream offset of buf[0]. */
  private bufOffset: number;
  private skipping: { offset: number; length: number } | undefined;

  constructor(options: FramerOptions) {
    ({ chunkBytes: this.chunkBytes, capLimit: this.capLimit } = framingLimits(options));
    this.allocate = options.allocate ?? ((): ArrayBuffer => new ArrayBuffer(this.chunkBytes));
    this.buf = this.fresh(this.chunkBytes);
    this.bufOffset = options.startOffset ?? 0;
  }

  /** Feeds bytes; returns the items completed by them. `data` is copied, the caller may reuse it. */
  push(data: Uint8Array): FramedItem[] {
    const items: FramedItem[] = [];
    let pos = 0;
    while (pos < data.length) {
      if (this.skipping) {
        const nl = data.indexOf(NEWLINE, pos);
        if (nl < 0) {
          this.skipping.length += data.length - pos;
          return items;
        }
        this.skipping.length += nl - pos;
        items.push({ kind: 'long-line', offset: this.skipping.offset, length: this.skipping.length });
        this.bufOffset = this.skipping.offset + this.skipping.length + 1;
        this.skipping = undefined;
        pos = nl + 1;
        continue;
      }
      const n = Math.min(this.buf.length - this.fill, data.length - pos);
      this.buf.set(data.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
      if (this.fill === this.buf.length) this.cut(items);
    }
    return items;
  }

  /** Room for the next bytes: a reader may write into it and `commit` them, which saves `push`'s copy. */
  space(): Uint8Array {
    return this.buf.subarray(this.fill);
  }

  /** Takes the first `n` bytes of `space()` as the next bytes of the stream; returns the items they complete. */
  commit(n: number): FramedItem[] {
    if (this.skipping) return this.push(this.buf.slice(this.fill, this.fill + n)); // rare: an over-long line is being dropped
    this.fill += n;
    const items: FramedItem[] = [];
    if (this.fill === this.buf.length) this.cut(items);
    return items;
  }

  /** Ends the stream: the last line may lack its newline. */
  end(): FramedItem[] {
    const items: FramedItem[] = [];
    if (this.skipping) {
      items.push({ kind: 'long-line', offset: this.skipping.offset, length: this.skipping.length });
      this.skipping = undefined;
    } else if (this.fill > 0) {
      items.push({ kind: 'chunk', bytes: this.buf.subarray(0, this.fill), offset: this.bufOffset });
      this.bufOffset += this.fill;
      this.fill = 0;
      this.buf = new Uint8Array(0);
    }
    return items;
  }

  /** The buffer is full: emit its whole lines, or grow it, or start skipping an over-long line. */
  private cut(items: FramedItem[]): void {
    const full = this.buf;
    const last = full.lastIndexOf(NEWLINE);
    if (last >= 0) {
      const tail = full.length - (last + 1);
      const next = this.fresh(tail < this.chunkBytes ? this.chunkBytes : Math.min(this.capLimit, tail * 2));
      next.set(full.subarray(last + 1), 0);
      items.push({ kind: 'chunk', bytes: full.subarray(0, last + 1), offset: this.bufOffset });
      this.bufOffset += last + 1;
      this.buf = next;
      this.fill = tail;
      return;
    }
    if (full.length < this.capLimit) {
      const next = this.fresh(Math.min(this.capLimit, full.length * 2));
      next.set(full, 0);
      this.buf = next;
      return;
    }
    // No newline in capLimit bytes: the line is longer than maxLineBytes.
    this.skipping = { offset: this.bufOffset, length: full.length };
    this.buf = full.length === this.chunkBytes ? full : this.fresh(this.chunkBytes);
    this.fill = 0;
  }

  private fresh(size: number): Uint8Array {
    if (size === this.chunkBytes) {
      const b = this.allocate();
      if (b.byteLength === size) return new Uint8Array(b);
    }
    return new Uint8Array(size);
  }
}
