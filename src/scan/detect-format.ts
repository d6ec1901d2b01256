/**
 * Recognises an input from its first bytes, never from its name: gzip and EVTX by magic number, binary
 * by a NUL byte (as grep does) or a UTF-16 byte-order mark, the rest is text.
 */
import { SNIFF_BYTES } from './limits';
import type { InputFormat } from './types';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
/** "ElfFile\0", the EVTX file header signature. */
const EVTX_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00];

/** Other signatures, only to say why a binary input is skipped. */
const NAMED_BINARY: readonly { readonly magic: readonly number[]; readonly name: string }[] = [
  { magic: [0xff, 0xfe], name: 'UTF-16LE text (byte-order mark); convert it to UTF-8' },
  { magic: [0xfe, 0xff], name: 'UTF-16BE text (byte-order mark); convert it to UTF-8' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed data (not supported)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed data (not supported)' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed data (not supported)' },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'zip archive (not supported)' },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

export function detectFormat(firstBytes: Uint8Array): InputFormat {
  if (startsWith(firstBytes, GZIP_MAGIC)) return 'gzip';
  if (startsWith(firstBytes, EVTX_MAGIC)) return 'evtx';
  if (NAMED_BINARY.some((n) => startsWith(firstBytes, n.magic))) return 'binary';
  const end = Math.min(firstBytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (firstBytes[i] === 0) return 'binary';
  return 'text';
}

/** Why `firstBytes` look binary, for the skip report. */
export function describeBinary(firstBytes: Uint8Array): string {
  const named = NAMED_BINARY.find((n) => startsWith(firstBytes, n.magic));
  if (named) return named.name;
  const nul = firstBytes.subarray(0, SNIFF_BYTES).indexOf(0);
  return nul >= 0 ? `binary file (NUL byte at offset ${nul})` : 'binary file';
}

/** A UTF-8 byte-order mark; skipped before framing (offsets still count it). */
export function utf8BomLength(firstBytes: Uint8Array): number {
  return startsWith(firstBytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
}
