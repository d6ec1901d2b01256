/**
 * A tiny EVTX writer for tests that must not depend on /work/shared: builds a file with one chunk whose
 * records are BinXML template instances, with correct chunk and file CRCs. Only what the tests need.
 */
import { crc32 } from '../../src/evtx/bytes';

export type Sub = { type: number; bytes: number[] } | { type: 0x21; fragment: (w: BinXmlWriter) => void };

/** Writes BinXML at absolute chunk positions (name and template offsets are chunk-relative). */
export class BinXmlWriter {
  readonly out: number[];
  constructor(out: number[]) {
    this.out = out;
  }
  get pos(): number {
    return this.out.length;
  }
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: bigint): this {
    return this.u32(Number(v & 0xffffffffn)).u32(Number(v >> 32n));
  }
  utf16(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this;
  }
  patch32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.out[at + i] = (v >>> (8 * i)) & 0xff;
  }
  /** An inline name: its offset is the position right after the offset field. */
  name(s: string): this {
    this.u32(this.pos + 4).u32(0).u16(0).u16(s.length).utf16(s).u16(0);
    return this;
  }
  fragmentHeader(): this {
    return this.u8(0x0f).u8(1).u8(1).u8(0);
  }
  /** `<name attrs...>` then `children`, or `<name attrs.../>` when children is absent. */
  element(name: string, attrs: [string, (w: BinXmlWriter) => void][], children?: (w: BinXmlWriter) => void): this {
    this.u8(attrs.length > 0 ? 0x41 : 0x01).u16(0).u32(0).name(name);
    if (attrs.length > 0) this.u32(0);
    attrs.forEach(([attrName, value], i) => {
      this.u8(i < attrs.length - 1 ? 0x46 : 0x06).name(attrName);
      value(this);
    });
    if (!children) return this.u8(0x03);
    this.u8(0x02);
    children(this);
    return this.u8(0x04);
  }
  text(s: string): this {
    return this.u8(0x05).u8(0x01).u16(s.length).utf16(s);
  }
  sub(index: number, type: number, optional = false): this {
    return this.u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
  }
  /** A template instance; the definition is written inline when `body` is given, else referenced at `defOffset`. */
  template(def: { offset?: number; body?: (w: BinXmlWriter) => void }, subs: Sub[]): number {
    this.u8(0x0c).u8(1).u32(1);
    let defOffset = def.offset ?? 0;
    if (def.body) {
      defOffset = this.pos + 4;
      this.u32(defOffset).u32(0).u32(0).u32(0).u32(0).u32(0);
      const sizeAt = this.pos;
      this.u32(0);
      const start = this.pos;
      this.fragmentHeader();
      def.body(this);
      this.u8(0x00);
      this.patch32(sizeAt, this.pos - start);
    } else {
      this.u32(defOffset);
    }
    this.u32(subs.length);
    const sizes: number[] = [];
    const descAt = this.pos;
    for (const s of subs) this.u16(0).u8(s.type).u8(0);
    for (const s of subs) {
      const start = this.pos;
      if ('fragment' in s) {
        this.fragmentHeader();
        s.fragment(this);
        this.u8(0x00);
      } else {
        for (const b of s.bytes) this.u8(b);
      }
      sizes.push(this.pos - start);
    }
    sizes.forEach((size, i) => {
      this.out[descAt + 4 * i] = size & 0xff;
      this.out[descAt + 4 * i + 1] = size >>> 8;
    });
    return defOffset;
  }
}

/** Builds a one-chunk EVTX file; `records` write each record's BinXML (fragment header included by them). */
export function buildEvtx(records: ((w: BinXmlWriter) => void)[], firstRecord = 1): Uint8Array {
  const out: number[] = new Array<number>(512).fill(0);
  const w = new BinXmlWriter(out);
  let lastRecordOffset = 512;
  records.forEach((write, i) => {
    lastRecordOffset = w.pos;
    const start = w.pos;
    w.u32(0x2a2a).u32(0).u64(BigInt(firstRecord + i)).u64(0n);
    write(w);
    w.u32(0);
    const size = w.pos - start;
    w.patch32(start + 4, size);
    w.patch32(w.pos - 4, size);
  });
  const free = w.pos;
  const chunk = new Uint8Array(65536);
  chunk.set(out);
  chunk.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]);
  const dv = new DataView(chunk.buffer);
  const last = BigInt(firstRecord + records.length - 1);
  dv.setBigUint64(8, BigInt(firstRecord), true);
  dv.setBigUint64(16, last, true);
  dv.setBigUint64(24, BigInt(firstRecord), true);
  dv.setBigUint64(32, last, true);
  dv.setUint32(40, 128, true);
  dv.setUint32(44, lastRecordOffset, true);
  dv.setUint32(48, free, true);
  dv.setUint32(52, crc32(chunk, 512, free), true);
  dv.setUint32(124, crc32(chunk, 128, 512, crc32(chunk, 0, 120)), true);

  const file = new Uint8Array(4096 + 65536);
  file.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  const fv = new DataView(file.buffer);
  fv.setBigUint64(24, last + 1n, true);
  fv.setUint32(32, 128, true);
  fv.setUint16(36, 1, true);
  fv.setUint16(38, 3, true);
  fv.setUint16(40, 4096, true);
  fv.setUint16(42, 1, true);
  fv.setUint32(124, crc32(file, 0, 120), true);
  file.set(chunk, 4096);
  return file;
}

export const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
export const le32 = (v: number): number[] => [...le16(v & 0xffff), ...le16(v >>> 16)];
export const le64 = (v: bigint): number[] => [...le32(Number(v & 0xffffffffn)), ...le32(Number(v >> 32n))];
export const utf16le = (s: string): number[] => [...s].flatMap((c) => le16(c.charCodeAt(0)));
