/**
 * EVTX inside the scanner: decoding a group of chunk blocks (in a worker, or on the main thread for
 * `sigrep events`), the file header's problems, and how decoder problems become scan issues.
 *
 * Key decisions: a problem that loses records (chunk skipped, record skipped, truncation) is an error
 * (exit status 2); a bad file-header checksum (chunks are still read) and a bad chunk data checksum
 * (records decoded and evaluated, but flagged unverified) are warnings. Every decoded record is one
 * compact JSON line in evtx_dump's shape, `JSON.stringify(event)`.
 */
import {
  CHUNK_SIZE,
  decodeEvtxChunk,
  EvtxProblemCode,
  FILE_HEADER_BLOCK_SIZE,
  hasChunkSignature,
  readEvtxFileHeader,
  type EvtxProblem,
  type EvtxRecord,
} from '../evtx';
import type { ScanIssue } from './types';

export interface DecodedBlocks {
  /** Records in file order; `offset` is the record's offset in the file. */
  readonly records: EvtxRecord[];
  /** Problems in file order; `offset` is a file offset. */
  readonly problems: EvtxProblem[];
  /** Chunk blocks that hold a chunk (unused all-zero blocks are not counted). */
  readonly chunks: number;
}

function unusedBlock(b: Uint8Array, offset: number, length: number): boolean {
  if (hasChunkSignature(b, offset)) return false;
  for (let i = offset; i < offset + Math.min(8, length); i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Decodes whole 64 KiB blocks laid end to end in `bytes` (the last may be short), the first of which is
 * the file's chunk `firstChunk` at file offset `fileOffset`. Unused (all-zero) blocks are skipped
 * silently, as `listEvtxChunks` does.
 */
export function decodeEvtxBlocks(bytes: Uint8Array, fileOffset: number, firstChunk: number): DecodedBlocks {
  const records: EvtxRecord[] = [];
  const problems: EvtxProblem[] = [];
  let chunks = 0;
  for (let local = 0, index = firstChunk; local < bytes.length; local += CHUNK_SIZE, index++) {
    const length = Math.min(CHUNK_SIZE, bytes.length - local);
    if (unusedBlock(bytes, local, length)) continue;
    chunks++;
    const r = decodeEvtxChunk(bytes, local, index);
    // The decoder's offsets are relative to `bytes`, which starts at `fileOffset` in the file.
    for (const rec of r.records) records.push({ ...rec, offset: rec.offset + fileOffset });
    for (const p of r.problems) problems.push({ ...p, offset: p.offset + fileOffset });
  }
  return { records, problems, chunks };
}

/** Problems of the header block; `bytes` is the header as read (short when the file ends inside it). */
export function evtxHeaderProblems(bytes: Uint8Array): EvtxProblem[] {
  const { problems } = readEvtxFileHeader(bytes);
  if (bytes.length >= 128 && bytes.length < FILE_HEADER_BLOCK_SIZE) {
    problems.push({ code: EvtxProblemCode.Truncated, message: `file is truncated: ${bytes.length} bytes, no chunk`, offset: bytes.length });
  }
  return problems;
}

/** Warnings: nothing was lost. Everything else lost records. */
export function evtxProblemSeverity(p: EvtxProblem): 'error' | 'warning' {
  return p.code === EvtxProblemCode.FileHeaderChecksum || p.code === EvtxProblemCode.ChunkDataChecksum ? 'warning' : 'error';
}

export function evtxProblemIssue(p: EvtxProblem, file: string): ScanIssue {
  return {
    code: p.code,
    severity: evtxProblemSeverity(p),
    file,
    offset: p.offset,
    ...(p.chunk !== undefined ? { chunk: p.chunk } : {}),
    ...(p.record !== undefined ? { record: p.record } : {}),
    message: p.message,
  };
}

/**
 * System.EventRecordID, which tools and analysts quote. It differs from the record header's number in
 * exported files (the header is renumbered from 1), so the header's number is only the fallback.
 */
export function eventRecordId(event: Record<string, unknown>): number | undefined {
  const id = ((event['Event'] as Record<string, unknown> | undefined)?.['System'] as Record<string, unknown> | undefined)?.['EventRecordID'];
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}
