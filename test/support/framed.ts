/** Shared helpers of the line-prefilter tests: framed chunks as plain data, their first difference, the raw addon. */
import { nativePrefilterAvailability, type FramedChunk } from '../../src/engine/line-prefilter';

/** A string's chars as bytes (latin1: one byte per char, so any byte can be written). */
export const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Each candidate line's literal ids, by line index. */
export function hitsByLine(r: FramedChunk): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  r.candidateLines.forEach((line, k) => {
    out[line] = Array.from(r.hitLiterals.subarray(r.hitOffsets[k], r.hitOffsets[k + 1]));
  });
  return out;
}

/** The framing's arrays as plain arrays, for deepEqual. */
export function plainFramed(r: FramedChunk): Record<string, unknown> {
  return {
    lineCount: r.lineCount,
    lineStarts: Array.from(r.lineStarts),
    lineEnds: Array.from(r.lineEnds),
    candidateLines: Array.from(r.candidateLines),
    hitOffsets: Array.from(r.hitOffsets),
    hitLiterals: Array.from(r.hitLiterals),
  };
}

/**
 * The first difference between two framings, small enough to read (a full diff of thousands of lines is
 * slow to render and useless to read); undefined when they are identical.
 */
export function firstFramedDifference(actual: FramedChunk, expected: FramedChunk): Record<string, unknown> | undefined {
  const a = hitsByLine(actual);
  const e = hitsByLine(expected);
  for (let line = 0; line < Math.max(actual.lineCount, expected.lineCount); line++) {
    const got = { start: actual.lineStarts[line], end: actual.lineEnds[line], hits: a[line] ?? [] };
    const want = { start: expected.lineStarts[line], end: expected.lineEnds[line], hits: e[line] ?? [] };
    if (JSON.stringify(got) !== JSON.stringify(want)) return { line, actual: got, expected: want };
  }
  if (JSON.stringify(plainFramed(actual)) !== JSON.stringify(plainFramed(expected))) return { layout: 'arrays differ beyond the lines' };
  return undefined;
}

/** The addon's own constructor, for tests that force one of its paths with flags (line_prefilter.cc). */
export interface RawAddonInstance {
  readonly literalPath: string;
  frame(bytes: Uint8Array): FramedChunk;
}
export interface RawAddon {
  readonly LinePrefilter: new (bytes: Uint8Array, offsets: Uint32Array, flags: number) => RawAddonInstance;
}

/** The built addon, or undefined when it is not built here. */
export function rawAddon(): RawAddon | undefined {
  const native = nativePrefilterAvailability();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return native.kind === 'available' ? (require(native.path) as RawAddon) : undefined;
}

/** Literals as the addon's constructor takes them: concatenated bytes and count + 1 offsets. */
export function literalTable(literals: readonly Uint8Array[]): [Uint8Array, Uint32Array] {
  const offsets = new Uint32Array(literals.length + 1);
  literals.forEach((l, i) => (offsets[i + 1] = offsets[i]! + l.length));
  const bytes = new Uint8Array(offsets[literals.length]!);
  literals.forEach((l, i) => bytes.set(l, offsets[i]!));
  return [bytes, offsets];
}
