/**
 * The contract of the line prefilter: frame a chunk of whole lines and say, per line, which prefilter
 * literals occur in it. Both engines (pure TS and the N-API addon) implement exactly this contract, so
 * their results are identical array for array; only plain typed arrays come back, nothing per line.
 */

/** Which implementation runs the hot loop. */
export type PrefilterEngineName = 'js' | 'native';

/** What a caller asks for: a specific engine, or native when it is built and JS otherwise. */
export type PrefilterEngineChoice = PrefilterEngineName | 'auto';

/**
 * One chunk, framed and prefiltered. Lines are split on LF; a CR right before the LF is not part of the
 * line, a lone CR is. A final line without LF counts; an LF at the very end does not start another line.
 * Offsets are byte offsets into the chunk (so a chunk is limited to 2^32 - 1 bytes).
 *
 * Candidate lines (lines where at least one trigger literal occurs: every literal unless `setTriggers` chose
 * some) use a CSR layout: the literals of `candidateLines[k]` are `hitLiterals[hitOffsets[k] .. hitOffsets[k + 1])`,
 * ascending and distinct, triggers or not.
 */
export interface FramedChunk {
  readonly lineCount: number;
  /** Offset of each line's first byte; length `lineCount`. */
  readonly lineStarts: Uint32Array;
  /** Offset just past each line's last content byte (LF and the CR before it excluded); length `lineCount`. */
  readonly lineEnds: Uint32Array;
  /** Indexes of candidate lines, ascending. */
  readonly candidateLines: Uint32Array;
  /** Length `candidateLines.length + 1`; `hitOffsets[0] === 0`. */
  readonly hitOffsets: Uint32Array;
  /** Literal ids (indexes into the literal list the prefilter was built from). */
  readonly hitLiterals: Uint32Array;
  /**
   * Present only when the prefilter was created with `validateJson: true`; length `lineCount`. Per line a
   * JsonLineStatus: 0 the first byte that is not JSON whitespace (space, tab, CR) is not `{`, or there is
   * none; 1 `JSON.parse` of the line's UTF-8 text returns an object (not an array, not null); 2 it starts
   * with `{` but `JSON.parse` would throw.
   */
  readonly jsonStatus?: Uint8Array;
  /**
   * Present only when the prefilter was created with gate fields; length `lineCount * gates.length`, line
   * major: the code of gate `g` on line `l` is `gateCodes[l * gates.length + g]`. Gates are read on candidate
   * lines only (on every line when the prefilter was built with `gatesOnEveryLine`): there a code is the index
   * of the line's value in the gate's `values`, or GATE_OTHER, GATE_ABSENT or GATE_UNKNOWN (see GateField); on
   * every other line every code is GATE_UNKNOWN (which rules nothing out), so reading a line's gates costs
   * nothing when no literal hit it.
   */
  readonly gateCodes?: Uint16Array;
  /** Present when `frame` was asked to count: per literal id, the lines (candidates or not) that hold it. */
  readonly literalLines?: Uint32Array;
  /** Present with gates: lines that held a trigger but are no candidates, their gates ruling out every pair (setDeadPairs). */
  readonly gatedLines?: number;
}

/**
 * A field read during JSON validation so rules can be ruled out without decoding the line. Its code on a
 * line is the index in `values` (ASCII-lowercased texts) of the one value the line holds under key `name`
 * (a string without escapes or non-ASCII bytes, a plain positive integer, true or false), GATE_OTHER for
 * such a value (or null) not in `values`, GATE_ABSENT when the key occurs nowhere, and GATE_UNKNOWN
 * whenever the bytes cannot say what the field index would see: not a valid JSON object, the key more than
 * once or holding a container, a value with an escape or a non-ASCII byte or another number form, a key
 * with an escape, a key naming `name` once spaces are dropped, a key in `aliases`, or a string value that
 * may be embedded JSON (`{` then spaces then an escape).
 */
export interface GateField {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly values: readonly string[];
}

export const GATE_UNKNOWN = 0xffff;
export const GATE_ABSENT = 0xfffe;
export const GATE_OTHER = 0xfffd;
/** Gate fields per prefilter, and values per gate field (codes above are reserved). */
export const MAX_GATES = 8;
export const MAX_GATE_VALUES = 0xfffd;

export interface LinePrefilter {
  /** The engine actually running, after 'auto' was resolved. */
  readonly engine: PrefilterEngineName;
  /** Number of literals the prefilter was built from; ids run from 0 to `literalCount - 1`. */
  readonly literalCount: number;
  /** True when it was created with `validateJson`, so every FramedChunk it returns has `jsonStatus`. */
  readonly validatesJson: boolean;
  /** The gate fields the prefilter reads (empty when none). */
  readonly gates: readonly GateField[];
  /** Frames a chunk; `countLiterals` adds `literalLines`. */
  frame(bytes: Uint8Array, countLiterals?: boolean): FramedChunk;
  /**
   * Only lines holding one of these literal ids are candidates from now on (undefined: every literal, the
   * default). Lets a caller that needs only some literals to pick a line skip the others' lines.
   */
  setTriggers(ids: readonly number[] | undefined): void;
  /**
   * With gates: a valid JSON line whose gate codes make tuple key `tupleKeys[i]` (the codes in mixed radix,
   * each gate's digit its dictionary id, then OTHER, ABSENT, UNKNOWN: see GateFilter) and whose every trigger
   * hit is `literals[j]` for some j with `tupleKeys[j]` that key, is no candidate (counted in `gatedLines`).
   * The caller pairs a literal with a tuple when no rule it could make a candidate passes its gate there.
   * Replaces the previous pairs.
   */
  setDeadPairs(tupleKeys: readonly number[], literals: readonly number[]): void;
}

/** Hard limits, checked when a prefilter is built or a chunk is framed. */
export const MAX_CHUNK_BYTES = 0xffffffff;
