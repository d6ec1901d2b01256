/**
 * Line prefilter: the byte-level hot loop of the scanner. Given a chunk of whole lines it frames the lines
 * and runs one case-insensitive multi-literal pass, so the engine makes a JS string only for lines where a
 * literal occurs. It must never drop a line that contains a literal (tests compare it to a naive check).
 * On request (`validateJson`) the same pass also says which lines are valid JSON objects, so a malformed
 * line that no literal hits is still found without a JSON.parse per line.
 * Key decision: two engines with one contract — an N-API addon and a pure TS twin it falls back to.
 */

export type { FramedChunk, GateField, LinePrefilter, PrefilterEngineChoice, PrefilterEngineName } from './types';
export { GATE_ABSENT, GATE_OTHER, GATE_UNKNOWN, MAX_CHUNK_BYTES, MAX_GATES, MAX_GATE_VALUES } from './types';
export {
  JSON_LINE_INVALID,
  JSON_LINE_NOT_OBJECT,
  JSON_LINE_VALID,
  JSON_STACK_INITIAL_DEPTH,
  JsonLineValidator,
  type JsonLineStatus,
} from './json-line-status';
export { MAX_TRANSITION_ENTRIES } from './aho-corasick';
export { gateRadixes, gateTupleKey } from './gate-tuples';
export { createLinePrefilter, encodeLiterals, resolvePrefilterEngine, type LinePrefilterOptions } from './create-line-prefilter';
export {
  nativePrefilterAvailability,
  NativePrefilterUnavailableError,
  NATIVE_PREFILTER_ENV,
  type NativeAvailability,
} from './native-prefilter';
