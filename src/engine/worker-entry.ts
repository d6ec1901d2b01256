/**
 * What scanner workers load: the ChunkMatcherFactory over a plan. Carries engine options inside the
 * plain-data payload so the scanner stays engine-agnostic.
 */
import type { ChunkMatcher } from './chunk-contract';
import { createRuleSetMatcher, type EngineOptions } from './rule-set-matcher';

export interface WorkerPayload {
  readonly plan: unknown;
  readonly engine: EngineOptions;
}

export function createChunkMatcher(payload: unknown): ChunkMatcher {
  const p = payload as WorkerPayload;
  return createRuleSetMatcher(p.plan, p.engine);
}
