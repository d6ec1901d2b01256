/** Picks the engine for a prefilter: the caller's explicit choice, or native when built and JS otherwise. */

import { JsLinePrefilter } from './js-prefilter';
import { NativeLinePrefilter, nativePrefilterAvailability } from './native-prefilter';
import type { LinePrefilter, PrefilterEngineChoice, PrefilterEngineName } from './types';

export interface LinePrefilterOptions {
  /** Default 'auto'. 'native' throws NativePrefilterUnavailableError when the addon is not built. */
  readonly engine?: PrefilterEngineChoice;
  /** Default false. When true, `frame` also fills `FramedChunk.jsonStatus` (which lines are valid JSON objects). */
  readonly validateJson?: boolean;
}

/** The engine `createLinePrefilter` would use for `choice` in this thread, without building anything. */
export function resolvePrefilterEngine(choice: PrefilterEngineChoice = 'auto'): PrefilterEngineName {
  switch (choice) {
    case 'js':
    case 'native':
      return choice;
    case 'auto':
      return nativePrefilterAvailability().kind === 'available' ? 'native' : 'js';
    default:
      return assertNever(choice);
  }
}

/**
 * Builds a prefilter over `literals`; literal `i` is reported as id `i`. Matching folds ASCII letters only;
 * other bytes compare exactly. Throws RangeError for an empty literal or an automaton over the size limit.
 */
export function createLinePrefilter(literals: readonly Uint8Array[], options: LinePrefilterOptions = {}): LinePrefilter {
  const engine = resolvePrefilterEngine(options.engine);
  const validateJson = options.validateJson === true;
  switch (engine) {
    case 'js':
      return new JsLinePrefilter(literals, validateJson);
    case 'native':
      return new NativeLinePrefilter(literals, validateJson);
    default:
      return assertNever(engine);
  }
}

/** UTF-8 encodes string literals, for callers that hold strings. */
export function encodeLiterals(literals: readonly string[]): Uint8Array[] {
  const encoder = new TextEncoder();
  return literals.map((s) => encoder.encode(s));
}

function assertNever(value: never): never {
  throw new Error(`unexpected prefilter engine ${String(value)}`);
}
