/**
 * JSON line status for the JS engine: says whether a line's bytes are a JSON text whose top value is an
 * object, exactly as `JSON.parse(bytes.toString('utf8'))` would decide, without decoding or allocating.
 * It must agree with JSON.parse on every input and with the native twin (native-bindings) byte for byte.
 *
 * Key decisions:
 * - Iterative, with an explicit stack of open containers: Node 20's JSON.parse is itself iterative and
 *   accepts any nesting depth (measured to 10,000,000 levels), so there is no depth limit here either;
 *   the stack starts at JSON_STACK_INITIAL_DEPTH levels and doubles when a line nests deeper.
 * - No UTF-8 check: decoding turns every invalid sequence into U+FFFD and never swallows an ASCII byte,
 *   so inside a string any byte >= 0x80 is accepted by JSON.parse, and outside one any such byte is an
 *   error anyway.
 * - Hand-written rather than JSON.parse: on 64 MB of real Windows event lines it takes ~85 ms where
 *   toString + JSON.parse per line takes ~130 ms and builds every object. String bodies, most of the
 *   bytes, are skipped four bytes at a time (SWAR); that alone took it from ~105 ms.
 * - Gate fields (see GateField in ./types) are read in the same walk, so a line whose only candidate rules
 *   fail their logsource gate is never decoded. Every doubt makes a gate GATE_UNKNOWN, which drops nothing.
 *   The caller reads them on candidate lines only; other lines skip the gate bookkeeping.
 */
import { GATE_ABSENT, GATE_OTHER, GATE_UNKNOWN, type GateField } from './types';

/** The first non-whitespace byte is not `{`, or the line is empty or whitespace only. */
export const JSON_LINE_NOT_OBJECT = 0;
/** A valid JSON text whose top value is an object: `JSON.parse` on the line's UTF-8 text succeeds. */
export const JSON_LINE_VALID = 1;
/** Starts with `{` (after whitespace) but `JSON.parse` would throw. */
export const JSON_LINE_INVALID = 2;
export type JsonLineStatus = typeof JSON_LINE_NOT_OBJECT | typeof JSON_LINE_VALID | typeof JSON_LINE_INVALID;

/** Not a limit: the stack of open containers starts this deep and grows as a line needs. */
export const JSON_STACK_INITIAL_DEPTH = 1024;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;

/** Byte classes, one table so each hot loop does one load per byte. */
const WS = 1;
const STRING_PLAIN = 2; // may appear unescaped inside a string: >= 0x20 except `"` and `\`
const DIGIT = 4;
const HEX = 8;
const ESCAPE = 16; // may follow a backslash (`u` handled apart)
const CLASS = new Uint8Array(256);
for (let b = 0x20; b < 256; b++) if (b !== QUOTE && b !== BACKSLASH) CLASS[b]! |= STRING_PLAIN;
for (const b of [SPACE, TAB, LF, CR]) CLASS[b]! |= WS;
for (let b = ZERO; b <= NINE; b++) CLASS[b]! |= DIGIT | HEX;
for (let b = 0x41; b <= 0x46; b++) CLASS[b]! |= HEX;
for (let b = 0x61; b <= 0x66; b++) CLASS[b]! |= HEX;
for (const c of '"\\/bfnrt') CLASS[c.charCodeAt(0)]! |= ESCAPE;

/** A gate field prepared for byte comparison. */
interface Gate {
  readonly name: Uint8Array;
  readonly aliases: readonly Uint8Array[];
  /** Folded value text (latin1 of ASCII bytes) → code. */
  readonly values: ReadonlyMap<string, number>;
}

const IN_OBJECT = 1;
const IN_ARRAY = 2;

/** Where the parser is: about to read a value, an object key, or what follows a value. */
const EXPECT_VALUE = 0;
const EXPECT_KEY = 1;
const AFTER_VALUE = 2;

/** Reusable: holds the container stack so checking a line allocates nothing once the stack is big enough. */
export class JsonLineValidator {
  private stack = new Uint8Array(JSON_STACK_INITIAL_DEPTH);
  private readonly gates: readonly Gate[];
  /** No key shorter than this can be a gate's name or alias, even escaped or spaced. */
  private readonly minKey: number;
  private codes: Uint16Array = new Uint16Array(0);
  private codesAt = 0;

  constructor(gates: readonly GateField[] = []) {
    const encoder = new TextEncoder();
    this.gates = gates.map((g) => ({
      name: encoder.encode(g.name),
      aliases: g.aliases.map((a) => encoder.encode(a)),
      values: new Map(g.values.map((v, i) => [v, i])),
    }));
    this.minKey = Math.min(...this.gates.flatMap((g) => [g.name.length, ...g.aliases.map((a) => a.length)]));
  }

  get gateCount(): number {
    return this.gates.length;
  }
  /** A DataView of the last chunk seen, for reading four bytes at once. */
  private chunk: Uint8Array | undefined;
  private dataView: DataView = new DataView(new ArrayBuffer(0));

  /**
   * Status of the line `bytes[from, to)` (its line terminator excluded). With gate fields, their codes go to
   * `codes[at .. at + gateCount)`: read when `readGates` (the default) and the line is a valid object, else
   * all GATE_UNKNOWN, and a line read without gates is parsed without any gate bookkeeping.
   */
  status(bytes: Uint8Array, from: number, to: number, codes?: Uint16Array, at = 0, readGates = true): JsonLineStatus {
    if (bytes !== this.chunk || bytes.byteLength !== this.dataView.byteLength) this.view(bytes);
    const g = this.gates.length;
    if (g > 0 && !codes) throw new RangeError('status: gate codes need an output array');
    const gated = g > 0 && readGates;
    if (gated) {
      this.codes = codes!;
      this.codesAt = at;
      codes!.fill(GATE_ABSENT, at, at + g);
    }
    let i = from;
    while (i < to && (CLASS[bytes[i]!]! & WS) !== 0) i++;
    const status = i === to || bytes[i] !== OPEN_OBJECT ? JSON_LINE_NOT_OBJECT : this.parse(bytes, i, to, gated) ? JSON_LINE_VALID : JSON_LINE_INVALID;
    if (g > 0 && (status !== JSON_LINE_VALID || !gated)) codes!.fill(GATE_UNKNOWN, at, at + g);
    return status;
  }

  private allUnknown(): void {
    this.codes.fill(GATE_UNKNOWN, this.codesAt, this.codesAt + this.gates.length);
  }

  /** A key's raw bytes `b[s, e)`: the gate whose value follows, or -1. */
  private onKey(b: Uint8Array, s: number, e: number): number {
    if (e - s < this.minKey) return -1;
    let backslash = false;
    let space = false;
    for (let q = s; q < e; q++) {
      if (b[q] === BACKSLASH) backslash = true;
      else if (b[q] === SPACE) space = true;
    }
    if (backslash) {
      this.allUnknown(); // an escaped key may decode to a gate's name
      return -1;
    }
    const gates = this.gates;
    for (let k = 0; k < gates.length; k++) {
      const g = gates[k]!;
      if (bytesEqual(g.name, b, s, e)) return k;
      for (const a of g.aliases) if (bytesEqual(a, b, s, e)) this.codes[this.codesAt + k] = GATE_UNKNOWN;
    }
    if (space) {
      // The field index also files "Event ID" under "EventID".
      const squeezed = Uint8Array.from(b.subarray(s, e).filter((c) => c !== SPACE));
      for (let k = 0; k < gates.length; k++) if (bytesEqual(gates[k]!.name, squeezed, 0, squeezed.length)) this.codes[this.codesAt + k] = GATE_UNKNOWN;
    }
    return -1;
  }

  /** The value of gate `k` spans `b[s, e)`: a string's content (`quoted`), or a bare token. */
  private onGateValue(k: number, b: Uint8Array, s: number, e: number, quoted: boolean): void {
    const at = this.codesAt + k;
    if (this.codes[at] !== GATE_ABSENT) {
      this.codes[at] = GATE_UNKNOWN; // the key twice
      return;
    }
    if (quoted) {
      for (let q = s; q < e; q++) {
        if (b[q] === BACKSLASH || b[q]! >= 0x80) {
          this.codes[at] = GATE_UNKNOWN;
          return;
        }
      }
    } else if (b[s] === 0x6e /* null */) {
      this.codes[at] = GATE_OTHER;
      return;
    } else if (b[s] !== 0x74 && b[s] !== 0x66 && !plainInteger(b, s, e)) {
      this.codes[at] = GATE_UNKNOWN;
      return;
    }
    let text = '';
    for (let q = s; q < e; q++) {
      const c = b[q]!;
      text += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
    }
    this.codes[at] = this.gates[k]!.values.get(text) ?? GATE_OTHER;
  }

  /** A string value that may be JSON (`{`, spaces, then an escaped quote) is parsed again by the field index. */
  private checkEmbedded(b: Uint8Array, s: number, e: number): void {
    if (s === e || b[s] !== OPEN_OBJECT) return;
    s++;
    while (s < e && b[s] === SPACE) s++;
    if (s < e && b[s] === BACKSLASH) this.allUnknown();
  }

  private view(bytes: Uint8Array): void {
    this.chunk = bytes;
    this.dataView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Parses one JSON text from `i` (at its first byte) to exactly `to`, allowing trailing whitespace. */
  private parse(b: Uint8Array, i: number, to: number, gates: boolean): boolean {
    let stack = this.stack;
    const view = this.dataView;
    let depth = 0;
    let state = EXPECT_VALUE;
    let pending = -1; // the gate whose value comes next
    for (;;) {
      // Skip whitespace; every state starts with it.
      while (i < to && (CLASS[b[i]!]! & WS) !== 0) i++;
      if (state === AFTER_VALUE) {
        if (depth === 0) return i === to;
        if (i === to) return false;
        const c = b[i++]!;
        const top = stack[depth - 1]!;
        if (c === COMMA) {
          state = top === IN_OBJECT ? EXPECT_KEY : EXPECT_VALUE;
        } else if ((c === CLOSE_OBJECT && top === IN_OBJECT) || (c === CLOSE_ARRAY && top === IN_ARRAY)) {
          depth--;
        } else {
          return false;
        }
        continue;
      }
      if (i === to) return false;
      let c = b[i]!;
      if (state === EXPECT_KEY) {
        if (c !== QUOTE) return false;
        const s = i + 1;
        i = skipString(b, view, s, to);
        if (i < 0) return false;
        if (gates) pending = this.onKey(b, s, i - 1);
        while (i < to && (CLASS[b[i]!]! & WS) !== 0) i++;
        if (i === to || b[i] !== COLON) return false;
        i++;
        state = EXPECT_VALUE;
        continue;
      }
      // EXPECT_VALUE
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (pending >= 0) {
          this.codes[this.codesAt + pending] = GATE_UNKNOWN;
          pending = -1;
        }
        if (depth === stack.length) {
          const grown = new Uint8Array(stack.length * 2);
          grown.set(stack);
          this.stack = stack = grown;
        }
        stack[depth++] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
        i++;
        while (i < to && (CLASS[b[i]!]! & WS) !== 0) i++;
        if (i === to) return false;
        c = b[i]!;
        if (c === CLOSE_OBJECT && stack[depth - 1] === IN_OBJECT) {
          depth--;
          i++;
          state = AFTER_VALUE;
        } else if (c === CLOSE_ARRAY && stack[depth - 1] === IN_ARRAY) {
          depth--;
          i++;
          state = AFTER_VALUE;
        } else {
          state = stack[depth - 1] === IN_OBJECT ? EXPECT_KEY : EXPECT_VALUE;
        }
        continue;
      }
      const s = i;
      let quoted = false;
      if (c === QUOTE) {
        i = skipString(b, view, i + 1, to);
        if (i < 0) return false;
        quoted = true;
        if (gates) this.checkEmbedded(b, s + 1, i - 1);
      } else if (c === MINUS || (CLASS[c]! & DIGIT) !== 0) {
        i = skipNumber(b, i, to);
        if (i < 0) return false;
      } else if (c === 0x74 /* t */) {
        if (!word(b, i, to, TRUE)) return false;
        i += 4;
      } else if (c === 0x66 /* f */) {
        if (!word(b, i, to, FALSE)) return false;
        i += 5;
      } else if (c === 0x6e /* n */) {
        if (!word(b, i, to, NULL)) return false;
        i += 4;
      } else {
        return false;
      }
      if (pending >= 0) {
        if (quoted) this.onGateValue(pending, b, s + 1, i - 1, true);
        else this.onGateValue(pending, b, s, i, false);
        pending = -1;
      }
      state = AFTER_VALUE;
    }
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function bytesEqual(a: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[s + k]) return false;
  return true;
}

/** A plain positive integer JavaScript holds exactly: its text is what String(n) gives back. */
function plainInteger(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n === 0 || n > 15) return false;
  if (b[s] === ZERO) return n === 1;
  for (let q = s; q < e; q++) if ((CLASS[b[q]!]! & DIGIT) === 0) return false;
  return true;
}

function word(b: Uint8Array, i: number, to: number, w: readonly number[]): boolean {
  if (to - i < w.length) return false;
  for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) return false;
  return true;
}

/**
 * From just past the opening quote; returns the index past the closing quote, or -1. Plain runs are
 * skipped four bytes at a time through `view`, a DataView of `b` (unaligned reads are fine).
 */
function skipString(b: Uint8Array, view: DataView, i: number, to: number): number {
  for (;;) {
    // SWAR: a word holds a stop byte when some byte is < 0x20 or equals `"` or `\` (exact tests, see
    // "Bit Twiddling Hacks": hasless, and haszero of the word xor the byte repeated).
    while (i + 4 <= to) {
      const x = view.getUint32(i);
      const q = x ^ 0x22222222;
      const s = x ^ 0x5c5c5c5c;
      if ((((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
      i += 4;
    }
    while (i < to && (CLASS[b[i]!]! & STRING_PLAIN) !== 0) i++;
    if (i === to) return -1;
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return -1; // a raw control character
    if (++i === to) return -1;
    const e = b[i]!;
    if ((CLASS[e]! & ESCAPE) !== 0) {
      i++;
    } else if (e === LOWER_U) {
      if (to - i < 5) return -1;
      if ((CLASS[b[i + 1]!]! & CLASS[b[i + 2]!]! & CLASS[b[i + 3]!]! & CLASS[b[i + 4]!]! & HEX) === 0) return -1;
      i += 5;
    } else {
      return -1;
    }
  }
}

/** From the number's first byte (`-` or a digit); returns the index past it, or -1. */
function skipNumber(b: Uint8Array, i: number, to: number): number {
  if (b[i] === MINUS) i++;
  if (i === to) return -1;
  if (b[i] === ZERO) {
    i++;
  } else if ((CLASS[b[i]!]! & DIGIT) !== 0) {
    i++;
    while (i < to && (CLASS[b[i]!]! & DIGIT) !== 0) i++;
  } else {
    return -1;
  }
  if (i < to && b[i] === DOT) {
    i++;
    if (i === to || (CLASS[b[i]!]! & DIGIT) === 0) return -1;
    while (i < to && (CLASS[b[i]!]! & DIGIT) !== 0) i++;
  }
  if (i < to && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    i++;
    if (i < to && (b[i] === PLUS || b[i] === MINUS)) i++;
    if (i === to || (CLASS[b[i]!]! & DIGIT) === 0) return -1;
    while (i < to && (CLASS[b[i]!]! & DIGIT) !== 0) i++;
  }
  return i;
}
