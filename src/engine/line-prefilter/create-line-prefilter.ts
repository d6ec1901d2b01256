/** Picks the engine for a prefilter: the caller's explicit choice, or native when built and JS otherwise. */

import { JsLinePrefilter } from './js-prefilter';
import { NativeLinePrefilter, nativePrefilterAvailability } from './native-prefilter';
import { MAX_GATES, MAX_GATE_VALUES, type GateField, type LinePrefilter, type PrefilterEngineChoice, type PrefilterEngineName } from './types';

export interface LinePrefilterOptions {
  /** Default 'auto'. 'native' throws NativePrefilterUnavailableError when the addon is not built. */
  readonly engine?: PrefilterEngineChoice;
  /** Default false. When true, `frame` also fills `FramedChunk.jsonStatus` (which lines are valid JSON objects). */
  readonly validateJson?: boolean;
  /** Fields whose values `frame` reports per line (`FramedChunk.gateCodes`); needs `validateJson`. */
  readonly gates?: readonly GateField[];
  /**
   * Default false: gates are read on candidate lines only. True reads them on every line, for callers that
   * rule out by gate on lines no literal hit (a rule without literals).
   */
  readonly gatesOnEveryLine?: boolean;
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
  const gates = options.gates ?? [];
  const everyLine = options.gatesOnEveryLine === true;
  checkGates(gates, validateJson);
  switch (engine) {
    case 'js':
      return new JsLinePrefilter(literals, validateJson, gates, everyLine);
    case 'native':
      return new NativeLinePrefilter(literals, validateJson, gates, everyLine);
    default:
      return assertNever(engine);
  }
}

/** UTF-8 encodes string literals, for callers that hold strings. */
export function encodeLiterals(literals: readonly string[]): Uint8Array[] {
  const encoder = new TextEncoder();
  return literals.map((s) => encoder.encode(s));
}

function checkGates(gates: readonly GateField[], validateJson: boolean): void {
  if (gates.length > 0 && !validateJson) throw new RangeError('gate fields are read during JSON validation: set validateJson');
  if (gates.length > MAX_GATES) throw new RangeError(`${gates.length} gate fields, at most ${MAX_GATES}`);
  for (const g of gates) {
    if (g.name === '') throw new RangeError('a gate field name is empty');
    if (g.values.length > MAX_GATE_VALUES) throw new RangeError(`gate ${g.name}: ${g.values.length} values, at most ${MAX_GATE_VALUES}`);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected prefilter engine ${String(value)}`);
}
