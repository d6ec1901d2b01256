/**
 * File level: signature detection, the 4 KiB file header, the list of chunk blocks and whole-file decoding.
 * The file header is informative only: chunks are found by walking 64 KiB blocks after it, so a stale
 * header (dirty file) or a damaged one does not hide records.
 */
import { crc32, u16, u32, u64n } from './bytes';
import { CHUNK_SIZE, decodeEvtxChunk, hasChunkSignature } from './chunk';
import { EvtxChunkRef, EvtxDecodeOptions, EvtxDecodeResult, EvtxFileHeader, EvtxProblem, EvtxProblemCode } from './types';

export const FILE_HEADER_BLOCK_SIZE = 4096;
const FILE_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

/** True when `firstBytes` (at least 8 bytes of a file) start with the EVTX signature "ElfFile\0". */
export function isEvtx(firstBytes: Uint8Array): boolean {
  if (firstBytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (firstBytes[i] !== FILE_MAGIC[i]) return false;
  return true;
}

export interface EvtxFileHeaderResult {
  /** Absent when the input is not an EVTX file or too short to hold a header. */
  readonly header?: EvtxFileHeader;
  readonly problems: EvtxProblem[];
}

export function readEvtxFileHeader(bytes: Uint8Array): EvtxFileHeaderResult {
  if (!isEvtx(bytes)) {
    return { problems: [{ code: EvtxProblemCode.BadSignature, message: 'not an EVTX file: missing "ElfFile\\0" signature', offset: 0 }] };
  }
  if (bytes.length < 128) {
    return { problems: [{ code: EvtxProblemCode.Truncated, message: `file is truncated inside its header (${bytes.length} bytes)`, offset: bytes.length }] };
  }
  const problems: EvtxProblem[] = [];
  const checksumOk = crc32(bytes, 0, 120) === u32(bytes, 124);
  if (!checksumOk) {
    problems.push({ code: EvtxProblemCode.FileHeaderChecksum, message: 'file header checksum mismatch; chunks are still read', offset: 124 });
  }
  const header: EvtxFileHeader = {
    firstChunkNumber: u64n(bytes, 8),
    lastChunkNumber: u64n(bytes, 16),
    nextRecordId: u64n(bytes, 24),
    headerSize: u32(bytes, 32),
    minorVersion: u16(bytes, 36),
    majorVersion: u16(bytes, 38),
    headerBlockSize: u16(bytes, 40),
    chunkCount: u16(bytes, 42),
    flags: u32(bytes, 120),
    checksumOk,
  };
  return { header, problems };
}

function isAllZero(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * The chunk blocks of a file: every 64 KiB block after the 4 KiB header, except unused (all-zero
 * signature) blocks. A final partial block is listed with its shorter `length`; decodeEvtxChunk reports it.
 */
export function listEvtxChunks(bytes: Uint8Array): EvtxChunkRef[] {
  const chunks: EvtxChunkRef[] = [];
  for (let offset = FILE_HEADER_BLOCK_SIZE, index = 0; offset < bytes.length; offset += CHUNK_SIZE, index++) {
    const length = Math.min(CHUNK_SIZE, bytes.length - offset);
    if (!hasChunkSignature(bytes, offset) && isAllZero(bytes, offset, offset + Math.min(8, length))) continue;
    chunks.push({ index, offset, length });
  }
  return chunks;
}

/** Decodes a whole file: events in file order, and every problem met on the way. */
export function decodeEvtx(bytes: Uint8Array, options: EvtxDecodeOptions = {}): EvtxDecodeResult {
  const { header, problems } = readEvtxFileHeader(bytes);
  const events: Record<string, unknown>[] = [];
  if (!header) return { events, problems };
  if (bytes.length < FILE_HEADER_BLOCK_SIZE) {
    problems.push({ code: EvtxProblemCode.Truncated, message: `file is truncated: ${bytes.length} bytes, no chunk`, offset: bytes.length });
    return { events, problems };
  }
  for (const ref of listEvtxChunks(bytes)) {
    const result = decodeEvtxChunk(bytes, ref.offset, ref.index, options);
    for (const r of result.records) events.push(r.event);
    for (const p of result.problems) problems.push(p);
  }
  return { events, problems };
}
