/**
 * EVTX decoder: Windows .evtx bytes → events in evtx_dump's JSON shape, plus problems with stable codes.
 * Pure: callers pass bytes (no fs here). decodeEvtx reads a whole file; readEvtxFileHeader, listEvtxChunks
 * and decodeEvtxChunk let a caller spread one file's 64 KiB chunks over workers. Damage is collected as
 * problems (chunk and record numbers, file offsets) and decoding goes on; nothing is thrown for bad input.
 */
export { isEvtx, readEvtxFileHeader, listEvtxChunks, decodeEvtx, FILE_HEADER_BLOCK_SIZE } from './file';
export type { EvtxFileHeaderResult } from './file';
export { decodeEvtxChunk, hasChunkSignature, CHUNK_SIZE } from './chunk';
export { EvtxProblemCode } from './types';
export type {
  EvtxProblem,
  EvtxFileHeader,
  EvtxChunkRef,
  EvtxRecord,
  EvtxChunkResult,
  EvtxDecodeResult,
  EvtxDecodeOptions,
} from './types';
