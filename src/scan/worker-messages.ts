/** Messages between the scanner's main thread and its workers. Plain data; chunk buffers are transferred. */
import type { ChunkResult, RuleInfo } from '../engine/chunk-contract';

export interface WorkerInit {
  readonly matcherModule: string;
  readonly plan: unknown;
}

export interface ChunkRequest {
  readonly kind: 'chunk';
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
}

export type WorkerReply =
  | { readonly kind: 'ready'; readonly rules: readonly RuleInfo[] }
  | { readonly kind: 'init-failed'; readonly message: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: ChunkResult; readonly buffer: ArrayBuffer }
  | { readonly kind: 'chunk-failed'; readonly id: number; readonly message: string };
