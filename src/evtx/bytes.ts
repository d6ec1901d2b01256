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

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC32 (zlib polynomial), continuable: pass the previous result as `crc` to extend it. */
export function crc32(b: Uint8Array, start: number, end: number, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
