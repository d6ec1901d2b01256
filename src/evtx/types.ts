/**
 * Plain-data types of the EVTX decoder: problems with stable codes, the file header, chunk references
 * and decode results. Everything here can cross a worker boundary (structured clone).
 */

/** Stable problem codes. Tests and callers match on these, never on message text. */
export const EvtxProblemCode = {
  /** The file does not start with "ElfFile\0", or a chunk block does not start with "ElfChnk\0". */
  BadSignature: 'EVTX_BAD_SIGNATURE',
  /** CRC32 of the file header (bytes 0..120) does not match; the header fields are used anyway. */
  FileHeaderChecksum: 'EVTX_FILE_HEADER_CHECKSUM',
  /** CRC32 of the chunk header does not match: the chunk is skipped. */
  ChunkHeaderChecksum: 'EVTX_CHUNK_HEADER_CHECKSUM',
  /** CRC32 over the chunk's event-records area does not match: records are decoded but flagged. */
  ChunkDataChecksum: 'EVTX_CHUNK_DATA_CHECKSUM',
  /** Chunk header fields are out of range (free-space offset outside the chunk...): the chunk is skipped. */
  BadChunkHeader: 'EVTX_BAD_CHUNK_HEADER',
  /** A record header is damaged (signature, size, trailing size copy): skipped, decoding resyncs. */
  BadRecord: 'EVTX_BAD_RECORD',
  /** A record's BinXML does not parse (bad token, bad template, bad value): the record is skipped. */
  BinXml: 'EVTX_BINXML',
  /** The file (or a chunk) ends early; what is complete is decoded. */
  Truncated: 'EVTX_TRUNCATED',
} as const;

export type EvtxProblemCode = (typeof EvtxProblemCode)[keyof typeof EvtxProblemCode];

export interface EvtxProblem {
  readonly code: EvtxProblemCode;
  readonly message: string;
  /** 0-based chunk index (position of the chunk in the file), when the problem is inside a chunk. */
  readonly chunk?: number;
  /** Event record number (EventRecordID from the record header), when known. */
  readonly record?: number;
  /** Byte offset in the input where the problem was found (file offset when the whole file is passed). */
  readonly offset: number;
}

export interface EvtxFileHeader {
  readonly firstChunkNumber: number;
  readonly lastChunkNumber: number;
  readonly nextRecordId: number;
  readonly headerSize: number;
  readonly minorVersion: number;
  readonly majorVersion: number;
  /** Offset of the first chunk (the header block size, 4096). */
  readonly headerBlockSize: number;
  readonly chunkCount: number;
  /** Bit 0: dirty, bit 1: full. */
  readonly flags: number;
  readonly checksumOk: boolean;
}

export interface EvtxChunkRef {
  /** 0-based position of the chunk in the file. */
  readonly index: number;
  /** Offset of the chunk's first byte in the file. */
  readonly offset: number;
  /** Bytes available for this chunk: 65536, or less when the file is truncated. */
  readonly length: number;
}

export interface EvtxRecord {
  readonly recordNumber: number;
  /** Byte offset of the record's header in the input passed to the decoder (the file offset for a whole file). */
  readonly offset: number;
  /** The event in evtx_dump JSON shape: `{ Event: { '#attributes': ..., System: ..., EventData: ... } }`. */
  readonly event: Record<string, unknown>;
  /** False when the chunk's data checksum failed: the record decoded, but its bytes are not verified. */
  readonly verified: boolean;
}

export interface EvtxChunkResult {
  readonly records: EvtxRecord[];
  readonly problems: EvtxProblem[];
}

export interface EvtxDecodeResult {
  readonly events: Record<string, unknown>[];
  readonly problems: EvtxProblem[];
}

export interface EvtxDecodeOptions {
  /**
   * What to do with the records of a chunk whose data CRC32 fails. 'decode' (default) decodes them,
   * marks them `verified: false` and reports one EVTX_CHUNK_DATA_CHECKSUM problem; 'skip' drops them.
   */
  readonly onDataChecksumMismatch?: 'decode' | 'skip';
}
