/**
 * One chunk: header checks (signature, header CRC32, data CRC32), the record walk and per-record decoding.
 * A chunk is independent of the rest of the file (own string and template tables), so callers may decode
 * chunks in any order or on workers, passing the whole file or just the chunk's bytes.
 *
 * Key decisions: a chunk with a bad signature or header CRC is skipped whole (its offsets cannot be
 * trusted); a record with a damaged header is reported and the walk resyncs on the next record signature;
 * a record whose BinXML fails is reported and skipped; records of a chunk whose data CRC fails are decoded
 * but flagged `verified: false` (or dropped with `onDataChecksumMismatch: 'skip'`), with one problem.
 */
import { crc32, DecodeError, u32, u64n } from './bytes';
import { ChunkParser } from './binxml';
import { instantiate, RContent, RElement } from './instantiate';
import { renderRecord } from './render-json';
import { EvtxChunkResult, EvtxDecodeOptions, EvtxProblem, EvtxProblemCode, EvtxRecord } from './types';

export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
/** Header (24) + at least a fragment header and EOF + trailing size copy (4). */
const MIN_RECORD_SIZE = 28;
const CHUNK_MAGIC = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

export function hasChunkSignature(b: Uint8Array, o: number): boolean {
  if (o + 8 > b.length) return false;
  for (let i = 0; i < 8; i++) if (b[o + i] !== CHUNK_MAGIC[i]) return false;
  return true;
}

function isRecordStart(b: Uint8Array, p: number, limit: number): boolean {
  if (p + RECORD_HEADER_SIZE > limit || b[p] !== 0x2a || b[p + 1] !== 0x2a || b[p + 2] !== 0 || b[p + 3] !== 0) return false;
  const size = u32(b, p + 4);
  return size >= MIN_RECORD_SIZE && p + size <= limit && u32(b, p + size - 4) === size;
}

/**
 * Decodes the chunk at `chunkOffset` of `bytes`. `chunkIndex` only labels problems. The chunk may be
 * shorter than 64 KiB when the input is truncated: complete records are decoded and EVTX_TRUNCATED reported.
 */
export function decodeEvtxChunk(
  bytes: Uint8Array,
  chunkOffset: number,
  chunkIndex: number,
  options: EvtxDecodeOptions = {},
): EvtxChunkResult {
  const records: EvtxRecord[] = [];
  const problems: EvtxProblem[] = [];
  const chunk = bytes.subarray(chunkOffset, Math.min(bytes.length, chunkOffset + CHUNK_SIZE));
  const problem = (code: EvtxProblemCode, message: string, at: number, record?: number): void => {
    const p: { code: EvtxProblemCode; message: string; chunk: number; offset: number; record?: number } = {
      code, message, chunk: chunkIndex, offset: chunkOffset + at,
    };
    if (record !== undefined) p.record = record;
    problems.push(p);
  };

  if (!hasChunkSignature(chunk, 0)) {
    problem(EvtxProblemCode.BadSignature, `chunk ${chunkIndex} does not start with "ElfChnk\\0"`, 0);
    return { records, problems };
  }
  if (chunk.length < CHUNK_HEADER_SIZE) {
    problem(EvtxProblemCode.Truncated, `chunk ${chunkIndex} is truncated inside its header (${chunk.length} bytes)`, chunk.length);
    return { records, problems };
  }
  const headerCrc = crc32(chunk, 128, CHUNK_HEADER_SIZE, crc32(chunk, 0, 120));
  if (headerCrc !== u32(chunk, 124)) {
    problem(EvtxProblemCode.ChunkHeaderChecksum, `chunk ${chunkIndex} header checksum mismatch; chunk skipped`, 124);
    return { records, problems };
  }
  const freeSpace = u32(chunk, 48);
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
    problem(EvtxProblemCode.BadChunkHeader, `chunk ${chunkIndex} free-space offset ${freeSpace} is out of range; chunk skipped`, 48);
    return { records, problems };
  }
  const limit = Math.min(freeSpace, chunk.length);
  if (chunk.length < freeSpace) {
    problem(EvtxProblemCode.Truncated, `chunk ${chunkIndex} is truncated: records end at ${freeSpace}, ${chunk.length} bytes present`, chunk.length);
  }
  let verified = true;
  if (chunk.length >= freeSpace && crc32(chunk, CHUNK_HEADER_SIZE, freeSpace) !== u32(chunk, 52)) {
    verified = false;
    problem(
      EvtxProblemCode.ChunkDataChecksum,
      `chunk ${chunkIndex} event records checksum mismatch; records ${u64n(chunk, 8)}..${u64n(chunk, 16)} are not verified` +
        (options.onDataChecksumMismatch === 'skip' ? ' and were skipped' : ''),
      52,
    );
    if (options.onDataChecksumMismatch === 'skip') return { records, problems };
  }

  const parser = new ChunkParser(chunk);
  let p = CHUNK_HEADER_SIZE;
  // A damaged record header cannot be trusted for its own number: report the one expected in sequence.
  let expectedRecord = u64n(chunk, 8);
  while (p + RECORD_HEADER_SIZE <= limit) {
    if (chunk.length < freeSpace && p + u32(chunk, p + 4) > chunk.length && u32(chunk, p) === 0x2a2a) {
      break; // the record runs into the missing tail: already reported as EVTX_TRUNCATED
    }
    if (!isRecordStart(chunk, p, limit)) {
      // All-zero space after the last record is slack, not damage.
      if (u32(chunk, p) === 0 && u32(chunk, p + 4) === 0) break;
      const bad = p;
      p++;
      while (p + RECORD_HEADER_SIZE <= limit && !isRecordStart(chunk, p, limit)) p++;
      problem(
        EvtxProblemCode.BadRecord,
        `damaged record header in chunk ${chunkIndex} at chunk offset ${bad} (expected record ${expectedRecord}); ` +
          `skipped ${Math.min(p, limit) - bad} bytes`,
        bad,
        expectedRecord,
      );
      expectedRecord++;
      continue;
    }
    const size = u32(chunk, p + 4);
    const recordNumber = u64n(chunk, p + 8);
    expectedRecord = recordNumber + 1;
    try {
      const out: RContent[] = [];
      instantiate(parser.parseRecord(p + RECORD_HEADER_SIZE, p + size - 4), null, out);
      const root = out.find((c): c is RElement => c instanceof RElement);
      if (!root) throw new DecodeError('record has no root element', p + RECORD_HEADER_SIZE);
      records.push({ recordNumber, offset: chunkOffset + p, event: renderRecord(root), verified });
    } catch (e) {
      // Hostile bytes can also trip a RangeError in a DataView read; any failure stays with this record.
      const at = e instanceof DecodeError ? e.offset : p;
      const message = e instanceof Error ? e.message : String(e);
      problem(EvtxProblemCode.BinXml, `record ${recordNumber}: ${message}`, at, recordNumber);
    }
    p += size;
  }
  return { records, problems };
}
