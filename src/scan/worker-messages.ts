/**
 * Messages between the scanner's main thread and its workers. Plain data; chunk buffers are transferred,
 * and a plain file's chunks are sent as byte ranges that the worker reads itself.
 */
import type { ChunkResult, RuleInfo } from '../engine/chunk-contract';
import type { EvtxProblem } from '../evtx';

/** A worker's workerData: the module it loads as soon as it starts, before its plan arrives. */
export interface WorkerInit {
  readonly matcherModule: string;
}

/** The first message a worker receives: the plan to build its matcher from. It replies `ready` or `init-failed`. */
export interface PlanRequest {
  readonly kind: 'plan';
  readonly plan: unknown;
}

/** What a chunk's bytes are: whole lines for the matcher, or EVTX chunk blocks to decode first. */
export type ChunkContent =
  | { readonly kind: 'lines' }
  | {
      readonly kind: 'evtx';
      /** File offset of the first block (offsets of records and problems are reported in the file). */
      readonly fileOffset: number;
      /** 0-based index of the first block among the file's chunks. */
      readonly firstChunk: number;
    };

export interface ChunkRequest {
  readonly kind: 'chunk';
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly content: ChunkContent;
}

/** Whole lines at `offset` of an open plain file, for the worker to read (from the process-wide `fd`) and match. */
export interface RangeRequest {
  readonly kind: 'range';
  readonly id: number;
  readonly fd: number;
  readonly offset: number;
  readonly length: number;
}

/** What an EVTX request adds to the matcher's result: where each line (record) came from, and the damage. */
export interface EvtxChunkInfo {
  /** Per line of the result: the event's System.EventRecordID, or the record header's number when it has none. */
  readonly recordNumbers: readonly number[];
  /** Per line of the result: the record's file offset. */
  readonly recordOffsets: readonly number[];
  /** Line indexes of records whose chunk failed its data checksum (decoded, evaluated, not verified). */
  readonly unverified: readonly number[];
  /** Decoder problems in file order, offsets in the file. */
  readonly problems: readonly EvtxProblem[];
  /** Chunk blocks in use among those sent. */
  readonly chunks: number;
}

export type WorkerReply =
  | { readonly kind: 'ready'; readonly rules: readonly RuleInfo[] }
  | { readonly kind: 'init-failed'; readonly message: string }
  | {
      readonly kind: 'result';
      readonly id: number;
      readonly result: ChunkResult;
      /** A chunk request's buffer, transferred back for reuse; none for a range. */
      readonly buffer?: ArrayBuffer;
      readonly evtx?: EvtxChunkInfo;
    }
  | { readonly kind: 'chunk-failed'; readonly id: number; readonly message: string }
  /** A range's bytes could not be read (the file shrank, an I/O error): that file's problem, not the matcher's. */
  | { readonly kind: 'read-failed'; readonly id: number; readonly message: string };
