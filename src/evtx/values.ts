/**
 * BinXML value types: decoding a sized value from bytes and the textual forms evtx_dump uses
 * (GUID upper-case without braces, SID "S-1-5-18", FILETIME/SYSTEMTIME "2025-11-26T05:11:27.927693Z",
 * hex ints "0x3b5e64", binary as upper-case hex). Integers stay numbers; 64-bit ones beyond 2^53 are
 * bigint here and become JSON numbers (with the same rounding JSON.parse applies) only when rendered.
 */
import { DecodeError, u16, u32, u64big, utf16At, utf16UntilNul } from './bytes';

/** A decoded value. Arrays are element-wise decoded values; strings already carry their final text. */
export type EvtxValue = string | number | boolean | bigint | null | readonly EvtxValue[];

export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

const ansi = new TextDecoder('windows-1252');

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export function hexUpper(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[b[o + i]!]!;
  return s;
}

export function formatGuid(b: Uint8Array, o: number): string {
  const d1 = u32(b, o).toString(16).toUpperCase().padStart(8, '0');
  const d2 = u16(b, o + 4).toString(16).toUpperCase().padStart(4, '0');
  const d3 = u16(b, o + 6).toString(16).toUpperCase().padStart(4, '0');
  return `${d1}-${d2}-${d3}-${hexUpper(b, o + 8, 2)}-${hexUpper(b, o + 10, 6)}`;
}

/** SID length in bytes at `o`: revision, sub-authority count, 6-byte authority, 4 bytes per sub-authority. */
export function sidLength(b: Uint8Array, o: number): number {
  return 8 + 4 * b[o + 1]!;
}

export function formatSid(b: Uint8Array, o: number, size: number): string {
  if (size < 8) return 'S-?';
  const revision = b[o]!;
  const count = b[o + 1]!;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[o + i]!;
  let s = `S-${revision}-${authority}`;
  for (let i = 0; i < count && 8 + 4 * i + 4 <= size; i++) s += `-${u32(b, o + 8 + 4 * i)}`;
  return s;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

function formatDateTime(year: number, month: number, day: number, h: number, m: number, s: number, micros: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(micros).padStart(6, '0')}Z`;
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) with microsecond precision, truncated like chrono's %.6f. */
export function formatFileTime(b: Uint8Array, o: number): string {
  const ticks = u64big(b, o);
  const micros = ticks / 10n;
  // 11644473600 s between 1601-01-01 and 1970-01-01.
  const unixMicros = micros - 11_644_473_600_000_000n;
  let ms = unixMicros / 1000n;
  let sub = Number(unixMicros % 1000n);
  if (sub < 0) {
    sub += 1000;
    ms -= 1n;
  }
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new DecodeError('FILETIME out of range', o);
  return formatDateTime(
    d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(),
    d.getUTCMilliseconds() * 1000 + sub,
  );
}

/** SYSTEMTIME: eight u16 (year, month, day-of-week, day, hour, minute, second, milliseconds). */
export function formatSysTime(b: Uint8Array, o: number): string {
  return formatDateTime(u16(b, o), u16(b, o + 2), u16(b, o + 6), u16(b, o + 8), u16(b, o + 10), u16(b, o + 12), u16(b, o + 14) * 1000);
}

function hexPrefixed(v: bigint | number): string {
  return '0x' + v.toString(16);
}

/** Shortest decimal that round-trips through float32, as Rust's ryu prints an f32, read back as a double. */
function float32Value(b: Uint8Array, o: number): number {
  const f = new DataView(b.buffer, b.byteOffset + o, 4).getFloat32(0, true);
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

function int64(b: Uint8Array, o: number, signed: boolean): number | bigint {
  let v = u64big(b, o);
  if (signed && v >= 1n << 63n) v -= 1n << 64n;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Size in bytes of one item of a fixed-size type, or 0 for variable-size types. */
function fixedSize(type: number, size: number): number {
  switch (type) {
    case ValueType.Int8:
    case ValueType.UInt8:
      return 1;
    case ValueType.Int16:
    case ValueType.UInt16:
      return 2;
    case ValueType.Int32:
    case ValueType.UInt32:
    case ValueType.Real32:
    case ValueType.Bool:
    case ValueType.HexInt32:
      return 4;
    case ValueType.Int64:
    case ValueType.UInt64:
    case ValueType.Real64:
    case ValueType.FileTime:
    case ValueType.HexInt64:
      return 8;
    case ValueType.Guid:
    case ValueType.SysTime:
      return 16;
    case ValueType.SizeT:
      return size === 4 ? 4 : 8;
    default:
      return 0;
  }
}

/** Decodes one fixed-size scalar at `o`; `size` is its byte width (for Bool and SizeT). */
function fixedScalar(b: Uint8Array, o: number, type: number, size: number): EvtxValue {
  switch (type) {
    case ValueType.Int8:
      return (b[o]! << 24) >> 24;
    case ValueType.UInt8:
      return b[o]!;
    case ValueType.Int16:
      return (u16(b, o) << 16) >> 16;
    case ValueType.UInt16:
      return u16(b, o);
    case ValueType.Int32:
      return u32(b, o) | 0;
    case ValueType.UInt32:
      return u32(b, o);
    case ValueType.Int64:
      return int64(b, o, true);
    case ValueType.UInt64:
      return int64(b, o, false);
    case ValueType.Real32:
      return float32Value(b, o);
    case ValueType.Real64:
      return new DataView(b.buffer, b.byteOffset + o, 8).getFloat64(0, true);
    case ValueType.Bool:
      return size === 1 ? b[o] !== 0 : u32(b, o) !== 0;
    case ValueType.Guid:
      return formatGuid(b, o);
    case ValueType.SizeT:
      return size === 4 ? hexPrefixed(u32(b, o)) : hexPrefixed(u64big(b, o));
    case ValueType.FileTime:
      return formatFileTime(b, o);
    case ValueType.SysTime:
      return formatSysTime(b, o);
    case ValueType.HexInt32:
      return hexPrefixed(u32(b, o));
    case ValueType.HexInt64:
      return hexPrefixed(u64big(b, o));
    default:
      throw new DecodeError(`value type 0x${type.toString(16)} is not a fixed-size type`, o);
  }
}

function splitUtf16Strings(b: Uint8Array, o: number, size: number): string[] {
  const out: string[] = [];
  const end = o + (size & ~1);
  let start = o;
  for (let p = o; p < end; p += 2) {
    if ((b[p]! | b[p + 1]!) === 0) {
      out.push(utf16At(b, start, (p - start) / 2));
      start = p + 2;
    }
  }
  if (start < end) out.push(utf16At(b, start, (end - start) / 2));
  return out;
}

function decodeAnsi(b: Uint8Array, o: number, size: number): string {
  let n = 0;
  while (n < size && b[o + n] !== 0) n++;
  return ansi.decode(b.subarray(o, o + n));
}

/**
 * Decodes a substitution value of `size` bytes at `o` (BinXml values are handled by the caller).
 * Throws DecodeError for types that cannot be rendered or sizes that do not fit the type.
 */
export function decodeSizedValue(b: Uint8Array, o: number, size: number, type: number): EvtxValue {
  if (o + size > b.length) throw new DecodeError('value extends past the end of the chunk', o);
  switch (type) {
    case ValueType.Null:
      return null;
    // Trailing white space is dropped, as Windows renders it and evtx_dump >= 0.8.5 prints it.
    case ValueType.String:
      return utf16UntilNul(b, o, size >>> 1).trimEnd();
    case ValueType.AnsiString:
      return decodeAnsi(b, o, size).trimEnd();
    case ValueType.Binary:
      return hexUpper(b, o, size);
    case ValueType.Sid:
      return formatSid(b, o, size);
    case ValueType.ArrayFlag | ValueType.String:
      return splitUtf16Strings(b, o, size);
    default:
      break;
  }
  if (type & ValueType.ArrayFlag) return decodeArray(b, o, size, type & 0x7f);
  const width = fixedSize(type, size);
  if (width === 0) throw new DecodeError(`unsupported value type 0x${type.toString(16)}`, o);
  if (size === 0) return null;
  if (size < width || (type === ValueType.Bool && size !== 4 && size !== 1)) {
    throw new DecodeError(`value of type 0x${type.toString(16)} has size ${size}`, o);
  }
  return fixedScalar(b, o, type, type === ValueType.Bool ? size : width);
}

function decodeArray(b: Uint8Array, o: number, size: number, base: number): EvtxValue {
  const items: EvtxValue[] = [];
  switch (base) {
    case ValueType.AnsiString: {
      let start = o;
      for (let p = o; p < o + size; p++) {
        if (b[p] === 0) {
          items.push(ansi.decode(b.subarray(start, p)));
          start = p + 1;
        }
      }
      if (start < o + size) items.push(ansi.decode(b.subarray(start, o + size)));
      return items;
    }
    case ValueType.Sid: {
      let p = o;
      while (p + 8 <= o + size) {
        const n = sidLength(b, p);
        if (p + n > o + size) throw new DecodeError('SID array item overruns its value', p);
        items.push(formatSid(b, p, n));
        p += n;
      }
      return items;
    }
    default: {
      const width = fixedSize(base, 8);
      if (width === 0) throw new DecodeError(`unsupported array value type 0x${(base | 0x80).toString(16)}`, o);
      if (size % width !== 0) throw new DecodeError(`array size ${size} is not a multiple of ${width}`, o);
      for (let p = o; p < o + size; p += width) items.push(fixedScalar(b, p, base, width));
      return items;
    }
  }
}

/**
 * Decodes an inline Value token's payload (type byte already read) at `o`; returns the value and its length.
 * Strings are length-prefixed (u16 code units); other types have their natural size.
 */
export function decodeInlineValue(b: Uint8Array, o: number, type: number): { value: EvtxValue; length: number } {
  if (type === ValueType.String) {
    const units = u16(b, o);
    if (o + 2 + 2 * units > b.length) throw new DecodeError('string value extends past the end of the chunk', o);
    return { value: utf16At(b, o + 2, units), length: 2 + 2 * units };
  }
  if (type === ValueType.Null) return { value: null, length: 0 };
  if (type === ValueType.Sid) {
    const n = sidLength(b, o);
    return { value: decodeSizedValue(b, o, n, type), length: n };
  }
  const width = fixedSize(type, 8);
  if (width === 0) throw new DecodeError(`unsupported inline value type 0x${type.toString(16)}`, o);
  return { value: decodeSizedValue(b, o, width, type), length: width };
}

/** True for values evtx_dump treats as absent content: null, empty string, empty array. */
export function isEmptyValue(v: EvtxValue): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The value as text, as when it is concatenated with other content: arrays comma-delimited. */
export function valueText(v: EvtxValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(valueText).join(',');
  return String(v);
}

/** The value as a JSON-ready value: bigint becomes a number (the rounding JSON.parse would apply). */
export function valueJson(v: EvtxValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(valueJson);
  return v;
}
