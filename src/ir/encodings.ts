/**
 * Value encodings behind the Sigma modifiers base64, base64offset, wide/utf16*, and windash.
 * Byte strings are carried as JS strings whose char codes are bytes (0–255): `bytes` in the
 * modifier pipeline says which reading applies, so base64 encodes UTF-8 text but raw bytes as-is.
 */

export function toBytes(text: string, isBytes: boolean): Buffer {
  return Buffer.from(text, isBytes ? 'latin1' : 'utf8');
}

export function base64(text: string, isBytes: boolean): string {
  return toBytes(text, isBytes).toString('base64');
}

const OFFSET_START = [0, 2, 3] as const;
const OFFSET_END = [undefined, -3, -2] as const;

/**
 * The three base64 renderings of a value at byte offsets 0, 1 and 2 inside a larger blob, trimmed of the
 * characters that depend on the unknown neighbours (the spec's and pySigma's algorithm).
 */
export function base64Offsets(text: string, isBytes: boolean): string[] {
  const bytes = toBytes(text, isBytes);
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const shifted = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const end = OFFSET_END[(bytes.length + i) % 3];
    out.push(shifted.slice(OFFSET_START[i], end));
  }
  return out;
}

/** UTF-16 code units as little- or big-endian byte pairs, returned as a byte string. */
export function utf16(text: string, bigEndian: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const lo = String.fromCharCode(unit & 0xff);
    const hi = String.fromCharCode(unit >> 8);
    out += bigEndian ? hi + lo : lo + hi;
  }
  return out;
}

/** The byte-order mark the spec puts before `utf16` output: FF FE (little-endian). */
export const UTF16_BOM = '\xff\xfe';

/** The dash characters windash substitutes, in the order pySigma produces its variants. */
export const WINDASH_CHARACTERS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Indexes of `-` and `/` that start a word (regex `\B[-/]\b` with Unicode word characters), within a
 * text where the previous context is `before` (a non-word character at a pattern boundary).
 */
export function windashPositions(text: string, previousIsWord: boolean): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '-' && c !== '/') continue;
    const prevWord = i === 0 ? previousIsWord : WORD.test(text[i - 1]!);
    const next = text[i + 1];
    const nextWord = next !== undefined && WORD.test(next);
    if (!prevWord && nextWord) positions.push(i);
  }
  return positions;
}

export function isWordCharacter(c: string): boolean {
  return WORD.test(c);
}
