/**
 * Little-endian readers, UTF-16 decoding and CRC32 over Uint8Array. No Buffer and no fs, so the decoder
 * runs anywhere bytes can be handed to it.
 */

const utf16 = new TextDecoder('utf-16le');

/** Thrown by bounded reads; decoding code turns it into a problem for the record or chunk concerned. */
export class DecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Unsigned 64-bit as a number (exact below 2^53, which covers record numbers and offsets). */
export function u64n(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
}

export function u64big(b: Uint8Array, o: number): bigint {
  return (BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o));
}

/** Decodes `units` UTF-16LE code units at `o`. Short strings are built directly; it beats the decoder call. */
export function utf16At(b: Uint8Array, o: number, units: number): string {
  if (units <= 12) {
    let s = '';
    for (let i = 0; i < units; i++) s += String.fromCharCode(b[o + 2 * i]! | (b[o + 2 * i + 1]! << 8));
    return s;
  }
  return utf16.decode(b.subarray(o, o + 2 * units));
}

/** Like utf16At but stops at the first NUL unit (substitution strings often carry a terminator). */
export function utf16UntilNul(b: Uint8Array, o: number, units: number): string {
  let n = 0;
  while (n < units && (b[o + 2 * n]! | b[o + 2 * n + 1]!) !== 0) n++;
  return utf16At(b, o, n);
}

/** Slice-by-8 tables: table k maps a byte k positions back; 8 bytes per step instead of 1. */
const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/** CRC32 (zlib polynomial), continuable: pass the previous result as `crc` to extend it. */
export function crc32(b: Uint8Array, start: number, end: number, crc = 0): number {
  const t = CRC_TABLES;
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = (c ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24))) >>> 0;
    c =
      t[7 * 256 + (lo & 0xff)]! ^ t[6 * 256 + ((lo >>> 8) & 0xff)]! ^ t[5 * 256 + ((lo >>> 16) & 0xff)]! ^ t[4 * 256 + (lo >>> 24)]! ^
      t[3 * 256 + b[i + 4]!]! ^ t[2 * 256 + b[i + 5]!]! ^ t[256 + b[i + 6]!]! ^ t[b[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
