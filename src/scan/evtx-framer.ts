/**
 * Cuts an EVTX byte stream into its 4 KiB file header and groups of whole 64 KiB chunk blocks, without
 * decoding anything: each chunk is independent (own string and template tables), so a group can be
 * decoded on any worker. Each group owns its ArrayBuffer, so it can be transferred. A final partial
 * block (a truncated file) is passed on with its shorter length; the decoder reports it.
 * Pure: no I/O; the caller feeds bytes and receives items in stream order.
 */
import { CHUNK_SIZE, FILE_HEADER_BLOCK_SIZE } from '../evtx';

export type EvtxFramedItem =
  | {
      readonly kind: 'header';
      /** The header block (4096 bytes, fewer when the stream ends inside it). */
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: 'blocks';
      /** Whole chunk blocks, the last one possibly short; a view from 0 on a buffer owned by this item. */
      readonly bytes: Uint8Array;
      /** Offset of the first block in the stream. */
      readonly offset: number;
      /** 0-based index of the first block among the file's chunk blocks. */
      readonly firstChunk: number;
    };

export interface EvtxFramerOptions {
  /** Chunk blocks per group (at least 1). */
  readonly blocksPerGroup: number;
  /** Returns a buffer of `blocksPerGroup × 64 KiB` bytes, e.g. a recycled one. */
  readonly allocate?: () => ArrayBuffer;
}

/** How many 64 KiB blocks fit in a scan chunk of `chunkBytes` (at least one). */
export function evtxBlocksPerGroup(chunkBytes: number): number {
  return Math.max(1, Math.floor(chunkBytes / CHUNK_SIZE));
}

export class EvtxFramer {
  private readonly groupBytes: number;
  private readonly allocate: () => ArrayBuffer;
  private header: Uint8Array | undefined = new Uint8Array(FILE_HEADER_BLOCK_SIZE);
  private buf: Uint8Array | undefined;
  private fill = 0;
  /** Stream offset of buf[0] / of header[0]. */
  private bufOffset = 0;
  private nextChunk = 0;

  constructor(options: EvtxFramerOptions) {
    if (!Number.isInteger(options.blocksPerGroup) || options.blocksPerGroup < 1) {
      throw new RangeError(`blocksPerGroup must be a positive integer, got ${options.blocksPerGroup}`);
    }
    this.groupBytes = options.blocksPerGroup * CHUNK_SIZE;
    this.allocate = options.allocate ?? ((): ArrayBuffer => new ArrayBuffer(this.groupBytes));
  }

  /** Feeds bytes; returns the items completed by them. `data` is copied, the caller may reuse it. */
  push(data: Uint8Array): EvtxFramedItem[] {
    const items: EvtxFramedItem[] = [];
    let pos = 0;
    while (pos < data.length) {
      const target = this.header ?? (this.buf ??= this.fresh());
      const n = Math.min(target.length - this.fill, data.length - pos);
      target.set(data.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
      if (this.fill === target.length) this.flush(items);
    }
    return items;
  }

  /** Ends the stream: emits a short header or the last (possibly short) group. */
  end(): EvtxFramedItem[] {
    const items: EvtxFramedItem[] = [];
    if (this.header) {
      items.push({ kind: 'header', bytes: this.header.subarray(0, this.fill) });
      this.header = undefined;
    } else if (this.buf && this.fill > 0) {
      this.flush(items);
    }
    this.fill = 0;
    this.buf = undefined;
    return items;
  }

  private flush(items: EvtxFramedItem[]): void {
    if (this.header) {
      items.push({ kind: 'header', bytes: this.header });
      this.header = undefined;
      this.bufOffset = FILE_HEADER_BLOCK_SIZE;
      this.fill = 0;
      return;
    }
    const buf = this.buf as Uint8Array;
    const bytes = buf.subarray(0, this.fill);
    items.push({ kind: 'blocks', bytes, offset: this.bufOffset, firstChunk: this.nextChunk });
    this.nextChunk += Math.ceil(this.fill / CHUNK_SIZE);
    this.bufOffset += this.fill;
    this.fill = 0;
    this.buf = undefined;
  }

  private fresh(): Uint8Array {
    const b = this.allocate();
    return b.byteLength === this.groupBytes ? new Uint8Array(b) : new Uint8Array(this.groupBytes);
  }
}
