/**
 * The contract between the scanner (src/scan) and the rule engine (src/engine), both sides of a worker.
 * The scanner cuts input into chunks of whole lines and hands each chunk's bytes to a ChunkMatcher that
 * the worker built once from a plain-data rule-set plan. The matcher frames lines, prefilters, parses
 * events and evaluates rules; it reports every line as evaluated, empty or unparsed, so the scanner's
 * summary can account for every input line. Only plain data crosses the worker boundary.
 */

/** What the scanner prints about a rule; taken from the plan, never from the compiler. */
export interface RuleInfo {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  readonly file: string;
}

export interface ChunkDetection {
  /** 0-based index of the line within the chunk. */
  readonly lineIndex: number;
  /** Byte offset of the line's first byte within the chunk. */
  readonly offset: number;
  /** Index into the rule-set's `rules`. */
  readonly rule: number;
  /** The event as it should be printed: the parsed JSON object, or the text line. */
  readonly event: unknown;
}

export interface ChunkUnparsed {
  readonly lineIndex: number;
  readonly offset: number;
  readonly reason: string;
}

export interface ChunkResult {
  /** Lines in the chunk, counting a final line without a newline. */
  readonly lineCount: number;
  /** Lines that hold only white space; not events. */
  readonly emptyLines: number;
  /** Lines that were events and were evaluated (including those the prefilter proved match no rule). */
  readonly evaluated: number;
  readonly unparsed: readonly ChunkUnparsed[];
  readonly detections: readonly ChunkDetection[];
}

export interface ChunkMatcher {
  readonly rules: readonly RuleInfo[];
  /** `bytes` holds whole lines: it ends with a newline, or at the end of the input. */
  matchChunk(bytes: Uint8Array): ChunkResult;
}

/** What a worker module exports; the scanner loads it by path in each worker. */
export type ChunkMatcherFactory = (plan: unknown) => ChunkMatcher;
