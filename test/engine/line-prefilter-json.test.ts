import test, { type ExecutionContext } from 'ava';
import { seeded } from '../support/random';
import { rawAddon, type RawAddonInstance } from '../support/framed';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  createLinePrefilter,
  encodeLiterals,
  JSON_LINE_INVALID,
  JSON_LINE_NOT_OBJECT,
  JSON_LINE_VALID,
  JSON_STACK_INITIAL_DEPTH,
  nativePrefilterAvailability,
  type FramedChunk,
  type PrefilterEngineName,
} from '../../src/engine/line-prefilter';

// ---------------------------------------------------------------------------------------------------------
// Reference: JSON.parse on the framed line's UTF-8 text, the very thing the status promises to predict.

/** True when JSON.parse accepts the text and returns an object that is not an array (nor null). */
function parsesToObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Whether the first byte that is not JSON whitespace is `{` (a framed line holds no LF). */
function startsWithBrace(line: Uint8Array): boolean {
  let i = 0;
  while (i < line.length && (line[i] === 0x20 || line[i] === 0x09 || line[i] === 0x0d)) i++;
  return i < line.length && line[i] === 0x7b;
}

function referenceStatus(line: Uint8Array): number {
  if (!startsWithBrace(line)) return JSON_LINE_NOT_OBJECT;
  return parsesToObject(Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8'))
    ? JSON_LINE_VALID
    : JSON_LINE_INVALID;
}

/**
 * Frames `chunk` with both validating engines and checks them against JSON.parse line by line. Returns the
 * per-line statuses so callers can also check the mix of statuses they meant to produce.
 */
function checkChunk(t: ExecutionContext, chunk: Uint8Array, label: string): Uint8Array {
  const validators = jsonValidators();
  const results = validators.map((v) => v.frame(chunk));
  const names = validators.map((v) => v.name);
  const first = results[0]!;
  const status = first.jsonStatus!;
  t.is(status.length, first.lineCount, `${label}: jsonStatus has one entry per line`);
  for (let e = 1; e < results.length; e++) {
    const other = results[e]!.jsonStatus!;
    const at = firstMismatch(other, status);
    t.is(at, -1, `${label}: ${names[e]} and ${names[0]} differ at line ${at}: ${show(chunk, first, at)}`);
  }
  const want = Uint8Array.from({ length: first.lineCount }, (_, line) =>
    referenceStatus(chunk.subarray(first.lineStarts[line], first.lineEnds[line])),
  );
  results.forEach((r, e) => {
    const got = r.jsonStatus!;
    let failures = 0;
    for (let line = 0; line < first.lineCount && failures < 5; line++) {
      if (got[line] === want[line]) continue;
      failures++;
      t.fail(`${label}: ${names[e]} line ${line} status ${got[line]}, JSON.parse says ${want[line]}: ${show(chunk, first, line)}`);
    }
  });
  return status;
}

function firstMismatch(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function show(chunk: Uint8Array, r: FramedChunk, line: number): string {
  if (line < 0 || line >= r.lineCount) return '';
  const text = Buffer.from(chunk.subarray(r.lineStarts[line], r.lineEnds[line])).toString('latin1');
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

function counts(status: Uint8Array): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (const s of status) out[s as 0 | 1 | 2]++;
  return out;
}


const native = nativePrefilterAvailability();
/** The addon's constructor flags (native-bindings/src/line_prefilter.cc). */
const FLAG_VALIDATE_JSON = 1;
const FLAG_NO_AVX2 = 8;
const FLAG_SCALAR_JSON = 32;
interface JsonValidator {
  readonly name: string;
  frame(bytes: Uint8Array): FramedChunk;
}
/**
 * Every validator there is: the JS engine, and the addon's JSON kernels (AVX2 when the CPU has it, SSE2,
 * scalar) forced through its flags, each of them under the same checks.
 */
function jsonValidators(): JsonValidator[] {
  const out: JsonValidator[] = [{ name: 'js', frame: (b) => createLinePrefilter([], { engine: 'js', validateJson: true }).frame(b) }];
  const addon = rawAddon();
  if (!addon) return out;
  for (const flags of [0, FLAG_NO_AVX2, FLAG_SCALAR_JSON]) {
    const instance = new addon.LinePrefilter(new Uint8Array(0), new Uint32Array(1), FLAG_VALIDATE_JSON | flags) as RawAddonInstance & { jsonKernel: string };
    out.push({ name: `native-${instance.jsonKernel}`, frame: (b) => instance.frame(b) });
  }
  return out;
}
const engines: PrefilterEngineName[] = ['js'];
if (native.kind === 'available') engines.push('native');
else if (process.env['SIGREP_REQUIRE_NATIVE'] === '1') {
  test('native engine is required but unavailable', (t) => t.fail(native.reason));
} else {
  test.skip(`native engine: addon not built (${native.reason}); only the JS engine is checked against JSON.parse`, () => undefined);
}

const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

// ---------------------------------------------------------------------------------------------------------
// Hand-written cases with the status written down, so the reference itself is checked too.

const V = JSON_LINE_VALID;
const I = JSON_LINE_INVALID;
const N = JSON_LINE_NOT_OBJECT;

/** [line as latin1 (one char per byte), expected status]. */
const edgeCases: ReadonlyArray<readonly [string, number]> = [
  // Not candidates.
  ['', N],
  ['   ', N],
  ['\t\r', N],
  ['[1]', N],
  ['[{}]', N],
  ['"x"', N],
  ['null', N],
  ['1', N],
  ['x{}', N],
  ['\xef\xbb\xbf{}', N], // a BOM is not JSON whitespace
  ['\x0c{}', N], // nor is a form feed
  // Objects and whitespace forms.
  ['{}', V],
  ['{ }', V],
  ['  {}  ', V],
  ['\t{\t}\t', V],
  ['\r{\r"a"\r:\r1\r}\r', V],
  ['{"a":1}', V],
  ['{ "a" : 1 , "b" : [ 1 , 2 ] }', V],
  ['{"a":1,"a":2}', V], // duplicate keys are fine for JSON.parse
  ['{"":""}', V],
  ['{', I],
  ['}', N],
  ['{}}', I],
  ['{}{}', I],
  ['{} x', I],
  ['{}\x00', I],
  ['{"a"}', I],
  ['{"a":}', I],
  ['{"a" 1}', I],
  ['{a:1}', I],
  ["{'a':1}", I],
  ['{"a":1,}', I],
  ['{,"a":1}', I],
  ['{"a":1,,"b":2}', I],
  ['{1:1}', I],
  ['{"a":1 "b":2}', I],
  // Numbers.
  ['{"n":0}', V],
  ['{"n":-0}', V],
  ['{"n":1e5}', V],
  ['{"n":1E+5}', V],
  ['{"n":1e-5}', V],
  ['{"n":-1.25e+10}', V],
  ['{"n":0.5}', V],
  ['{"n":1e999}', V], // Infinity, but JSON.parse accepts it
  ['{"n":123456789012345678901234567890}', V],
  ['{"n":01}', I],
  ['{"n":-01}', I],
  ['{"n":00}', I],
  ['{"n":1.}', I],
  ['{"n":.5}', I],
  ['{"n":-}', I],
  ['{"n":-.5}', I],
  ['{"n":+1}', I],
  ['{"n":1e}', I],
  ['{"n":1e+}', I],
  ['{"n":1.e5}', I],
  ['{"n":0x10}', I],
  ['{"n":NaN}', I],
  ['{"n":Infinity}', I],
  ['{"n":-Infinity}', I],
  ['{"n":1 2}', I],
  // Literals.
  ['{"t":true,"f":false,"z":null}', V],
  ['{"t":True}', I],
  ['{"t":tru}', I],
  ['{"t":truee}', I],
  ['{"z":nul}', I],
  ['{"z":undefined}', I],
  ['{"f":fals', I],
  // Strings and escapes.
  ['{"s":"\\u00e9"}', V],
  ['{"s":"\\u00E9"}', V],
  ['{"s":"\\ud83d\\ude00"}', V],
  ['{"s":"\\ud800"}', V], // a lone surrogate escape: JSON.parse keeps it
  ['{"s":"\\udc00\\ud800"}', V],
  ['{"s":"\\"\\\\\\/\\b\\f\\n\\r\\t"}', V],
  ['{"s":"\\u00g9"}', I],
  ['{"s":"\\u00e"}', I],
  ['{"s":"\\u"}', I],
  ['{"s":"\\x41"}', I],
  ['{"s":"\\a"}', I],
  ['{"s":"\\\'"}', I],
  ['{"s":"\\U00e9"}', I],
  ['{"s":"\\', I],
  ['{"s":"abc', I],
  ['{"s":"a\tb"}', I], // raw control characters
  ['{"s":"a\x00b"}', I],
  ['{"s":"a\x1fb"}', I],
  ['{"s":"a\rb"}', I],
  ['{"s":"a\x7fb"}', V], // DEL is not a control character for JSON
  ['{"s":"a b ~"}', V],
  // UTF-8, valid and not.
  ['{"s":"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}', V],
  ['{"s":"\xff"}', V], // invalid UTF-8 inside a string decodes to U+FFFD
  ['{"s":"\xc3"}', V],
  ['{"s":"\xf0\x9f"}', V], // truncated sequence right before the quote: the quote survives decoding
  ['{"s":"\xed\xa0\x80"}', V], // an encoded surrogate
  ['{"s":"\xc0\xaf"}', V], // overlong
  ['{"\xff":1}', V],
  ['{"s":1\xff}', I], // outside a string
  ['{\xc2\xa0"s":1}', I], // NBSP is not JSON whitespace
  ['{"s":1}\xe2\x80\xa8', I], // nor is U+2028
  ['{"s":"\xe2\x80\xa8"}', V],
  // Nesting.
  ['{"a":[]}', V],
  ['{"a":{}}', V],
  ['{"a":[[],[[]],{}]}', V],
  ['{"a":{"b":{"c":[1,{"d":null}]}}}', V],
  ['{"a":[1,2,]}', I],
  ['{"a":[,1]}', I],
  ['{"a":[}', I],
  ['{"a":{]}', I],
  ['{"a":[1}', I],
  ['{"a":{"b":1]}', I],
  ['{"a":[1]]}', I],
  ['{"a":{"b"}}', I],
  ['{"a":[{"b":1,}]}', I],
];

test('hand-written cases: the written-down status is what JSON.parse says', (t) => {
  for (const [line, want] of edgeCases) t.is(referenceStatus(latin1(line)), want, JSON.stringify(line));
});

for (const engine of engines) {
  test(`${engine}: hand-written cases`, (t) => {
    const p = createLinePrefilter([], { engine, validateJson: true });
    for (const [line, want] of edgeCases) t.is(p.frame(latin1(line)).jsonStatus?.[0] ?? N, want, JSON.stringify(line));
  });

  test(`${engine}: without validateJson there is no jsonStatus`, (t) => {
    const p = createLinePrefilter(encodeLiterals(['a']), { engine });
    t.false(p.validatesJson);
    t.false('jsonStatus' in p.frame(latin1('{"a":1}\n{')));
  });

  test(`${engine}: validateJson leaves framing and hits unchanged`, (t) => {
    const input = Buffer.from('{"Image":"C:\\\\cmd.exe"}\r\n{"x":\n\nplain cmd text\n[1]\n  {"y":2}', 'utf8');
    const literals = encodeLiterals(['cmd', '"y"', 'x']);
    const on = createLinePrefilter(literals, { engine, validateJson: true });
    const off = createLinePrefilter(literals, { engine }).frame(input);
    t.true(on.validatesJson);
    const r = on.frame(input);
    const { jsonStatus, ...rest } = r;
    t.deepEqual(rest, off);
    t.deepEqual(Array.from(jsonStatus!), [V, I, N, N, N, V]);
  });

  test(`${engine}: line endings are not part of the line`, (t) => {
    // CRLF, a final line without LF, a lone CR kept as content (JSON whitespace), a trailing LF.
    const r = createLinePrefilter([], { engine, validateJson: true }).frame(latin1('{}\r\n{"a":1}\r\r\n{\r}\n{"b":2}'));
    t.deepEqual(Array.from(r.jsonStatus!), [V, V, V, V]);
    const empty = createLinePrefilter([], { engine, validateJson: true }).frame(new Uint8Array(0));
    t.is(empty.jsonStatus!.length, 0);
  });

  test(`${engine}: a line never reads into the next one`, (t) => {
    // Each line is cut right where the next line would complete it.
    const r = createLinePrefilter([], { engine, validateJson: true }).frame(latin1('{"a":1\n}\n{"s":"ab\n"}\n{"n":1\n2}\n{"t":tr\nue}'));
    t.deepEqual(Array.from(r.jsonStatus!), [I, N, I, N, I, N, I, N]);
  });

  test(`${engine}: nesting deeper than the initial stack is still validated exactly (no depth limit)`, (t) => {
    const p = createLinePrefilter([], { engine, validateJson: true });
    const lines: string[] = [];
    const want: number[] = [];
    for (const depth of [JSON_STACK_INITIAL_DEPTH - 1, JSON_STACK_INITIAL_DEPTH, JSON_STACK_INITIAL_DEPTH + 1, 100_000]) {
      const arrays = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const mixed = `{"a":${'[{"b":'.repeat(depth)}0${'}]'.repeat(depth)}}`;
      lines.push(arrays, objects, mixed, arrays.slice(0, -2) + '}', mixed.replace('0}', '0]'));
      want.push(V, V, V, I, I);
    }
    t.deepEqual(lines.map((line) => referenceStatus(latin1(line))), want, 'JSON.parse has no depth limit either');
    t.deepEqual(Array.from(p.frame(latin1(lines.join('\n'))).jsonStatus!), want);
    // The stack grown for one chunk must not leak state into the next.
    t.deepEqual(Array.from(p.frame(latin1('{"a":[1]}\n{"a":[1}')).jsonStatus!), [V, I]);
  });

  test(`${engine}: a view with an odd byteOffset, and a new chunk in the same buffer`, (t) => {
    const p = createLinePrefilter([], { engine, validateJson: true });
    const backing = latin1('xxx{"s":"abcdefghijklmnop\\\\q"}\n{"s":"abcdefghijklmnop\x01"}\n');
    for (let from = 0; from <= 3; from++) {
      const view = backing.subarray(from);
      const want = from === 3 ? [V, I] : [N, I];
      t.deepEqual(Array.from(p.frame(view).jsonStatus!), want, `byteOffset ${from}`);
    }
    // Same bytes object, rewritten in place between calls: nothing may be cached from the first call.
    const chunk = latin1('{"a":"bc"}');
    t.deepEqual(Array.from(p.frame(chunk).jsonStatus!), [V]);
    chunk[6] = 0x01;
    t.deepEqual(Array.from(p.frame(chunk).jsonStatus!), [I]);
  });

  test(`${engine}: a long string crosses every internal block boundary`, (t) => {
    const p = createLinePrefilter([], { engine, validateJson: true });
    for (let len = 0; len < 80; len++) {
      const body = 'x'.repeat(len);
      const lines = [`{"s":"${body}"}`, `{"s":"${body}\\n${body}"}`, `{"s":"${body}\x01"}`, `{"s":"${body}`, `{"s":"${body}\\`];
      t.deepEqual(Array.from(p.frame(latin1(lines.join('\n'))).jsonStatus!), [V, V, I, I, I], `length ${len}`);
    }
  });
}

test('every kernel: escapes, \\u, quotes and control bytes on every offset of a block, and at the line or chunk end', (t) => {
  // A string's content starts 6 bytes into the line; pads of 0..70 put what follows on every offset of a
  // 16- or 32-byte block, also where a block reaches past the line (into the next line) or the chunk's end.
  const tails = [
    '\\\\"', // an escaped backslash, then the closing quote
    '\\""', // an escaped quote, then the closing quote
    '\\"', // an escaped quote and no closing one
    '\\\\\\"', // three backslashes: the quote is escaped
    '\\\\\\\\"',
    '\\u00e9"',
    '\\u00g9"',
    '\\u00e"',
    '\\x"',
    '\\\x01"', // a backslash before a control byte
    '\x7f\xff\xc3"',
    '\x1f"',
    '\t"',
    '/\\/\\b\\f\\n\\r\\t"',
    '\\', // the line ends inside an escape
    '', // the line ends inside the string
  ];
  const validators = jsonValidators();
  for (let pad = 0; pad <= 70; pad++) {
    const lines = tails.map((tail) => `{"s":"${'x'.repeat(pad)}${tail}}`);
    const want = lines.map((line) => referenceStatus(latin1(line)));
    t.true(want.includes(V) && want.includes(I));
    // The last line ends at the chunk's end; or every line is followed by one a block would misread.
    const junk = '"\\'.repeat(20);
    const chunks: readonly (readonly [string, readonly number[]])[] = [
      [lines.join('\n'), want],
      [lines.map((l) => `${l}\n${junk}`).join('\n'), want.flatMap((w) => [w, N])],
    ];
    for (const [chunk, expected] of chunks) {
      for (const v of validators) t.deepEqual(Array.from(v.frame(latin1(chunk)).jsonStatus!), expected, `${v.name}, pad ${pad}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// Generated JSON and mutations of it: both engines against JSON.parse.

function randomString(rnd: () => number): string {
  const pieces = ['a', 'Z', ' ', '\\', '"', '/', '\n', '\t', '\u0001', 'é', '€', '😀', '\ud800', '\u2028', 'C:\\Windows', '{', '}', '[', ','];
  let s = '';
  for (let n = Math.floor(rnd() * 8); n > 0; n--) s += pieces[Math.floor(rnd() * pieces.length)];
  return s;
}

function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 4 || r < 0.35) {
    const scalar = rnd();
    if (scalar < 0.3) return randomString(rnd);
    if (scalar < 0.45) return Math.floor(rnd() * 2000) - 1000;
    if (scalar < 0.6) return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    if (scalar < 0.7) return rnd() < 0.5;
    if (scalar < 0.8) return null;
    return -0;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  return randomObject(rnd, depth + 1);
}

function randomObject(rnd: () => number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(rnd() * 5); n > 0; n--) o[randomString(rnd)] = randomValue(rnd, depth);
  return o;
}

/** JSON text with random JSON whitespace between tokens (never LF: a line holds none). */
function spaced(rnd: () => number, text: string): string {
  // Strings are matched first so their contents are left alone.
  return text.replace(/"(?:[^"\\]|\\.)*"|[{}[\],:]/g, (m) =>
    m.length === 1 && rnd() < 0.2 ? ' \t\r'[Math.floor(rnd() * 3)]! + m : m,
  );
}

const STRUCTURAL = new Set([0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x22, 0x5c, 0x2d, 0x2e, 0x65, 0x30, 0x31]);

/** One random damage to a line's bytes; never adds an LF, so the line stays one line. */
function mutate(rnd: () => number, line: Uint8Array): Uint8Array {
  const bytes = Array.from(line);
  const pos = (): number => {
    // Half the time aim at syntax: most bytes of a real log line sit inside strings.
    if (rnd() < 0.5) {
      const structural: number[] = [];
      bytes.forEach((b, i) => STRUCTURAL.has(b) && structural.push(i));
      if (structural.length > 0) return structural[Math.floor(rnd() * structural.length)]!;
    }
    return Math.floor(rnd() * (bytes.length + 1));
  };
  const insert = (at: number, ...b: number[]): void => void bytes.splice(at, 0, ...b);
  const controls = [0x00, 0x01, 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f];
  const invalidUtf8 = [[0x80], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]];
  const garbage = ['x', ',', ']', '}', '{}', 'null', ' ,', '\\', '"', '0', '.5', 'e', '-'];
  switch (Math.floor(rnd() * 12)) {
    case 0: {
      const at = pos();
      if (at < bytes.length) bytes.splice(at, 1);
      break;
    }
    case 1: {
      const at = pos();
      if (at < bytes.length) insert(at, bytes[at]!);
      break;
    }
    case 2: {
      const at = pos();
      if (at < bytes.length) {
        const flipped = bytes[at]! ^ (1 << Math.floor(rnd() * 8));
        if (flipped !== 0x0a) bytes[at] = flipped;
      }
      break;
    }
    case 3:
      bytes.length = Math.floor(rnd() * bytes.length);
      break;
    case 4:
      insert(pos(), controls[Math.floor(rnd() * controls.length)]!);
      break;
    case 5:
      insert(pos(), ...invalidUtf8[Math.floor(rnd() * invalidUtf8.length)]!);
      break;
    case 6: {
      // A trailing comma before some closing bracket.
      const closers: number[] = [];
      bytes.forEach((b, i) => (b === 0x7d || b === 0x5d) && closers.push(i));
      if (closers.length > 0) insert(closers[Math.floor(rnd() * closers.length)]!, 0x2c);
      break;
    }
    case 7:
      bytes.push(...Buffer.from(garbage[Math.floor(rnd() * garbage.length)]!, 'latin1'));
      break;
    case 8:
      // Whitespace, JSON and not: leading, trailing or inside.
      insert(rnd() < 0.3 ? 0 : rnd() < 0.5 ? bytes.length : pos(), ...[[0x20], [0x09], [0x0d], [0x0c], [0xc2, 0xa0], [0x0b]][Math.floor(rnd() * 6)]!);
      break;
    case 9:
      insert(pos(), 0x5c); // a backslash: a new escape, valid or not
      break;
    case 10: {
      const at = pos();
      const words = ['true', 'fals', 'nul', 'NaN', '01', '1.', '-', '1e+', '\\u12', '\\ud800', '"'];
      insert(at, ...Buffer.from(words[Math.floor(rnd() * words.length)]!, 'latin1'));
      break;
    }
    default: {
      const at = pos();
      if (at < bytes.length) bytes.splice(at, Math.floor(rnd() * 8));
      break;
    }
  }
  return Uint8Array.from(bytes);
}

function joinLines(lines: readonly Uint8Array[], rnd: () => number): Uint8Array {
  const parts: Buffer[] = [];
  for (const line of lines) parts.push(Buffer.from(line), Buffer.from(rnd() < 0.8 ? '\n' : '\r\n'));
  return new Uint8Array(Buffer.concat(parts));
}

test('generated JSON objects and their mutations: both engines agree with JSON.parse', (t) => {
  const rnd = seeded(7);
  const lines: Uint8Array[] = [];
  const originals: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const text = spaced(rnd, JSON.stringify(randomObject(rnd, 0)));
    const line = new Uint8Array(Buffer.from(text, 'utf8'));
    originals.push(lines.length);
    lines.push(line);
    for (let m = Math.floor(rnd() * 4); m > 0; m--) {
      let mutated = mutate(rnd, line);
      if (rnd() < 0.3) mutated = mutate(rnd, mutated);
      lines.push(mutated);
    }
  }
  const status = checkChunk(t, joinLines(lines, rnd), 'generated');
  t.true(originals.every((line) => status[line] === V), 'every unmutated line is valid');
  const [notObject, valid, invalid] = counts(status);
  t.log(`generated: ${status.length} lines, ${valid} valid, ${invalid} invalid, ${notObject} not objects`);
  t.true(valid > 3000 && invalid > 2000, 'the corpus exercises both outcomes');
});

test('random token soup starting with {: both engines agree with JSON.parse', (t) => {
  // Short lines from a small token alphabet hit the parser's state transitions far more often than
  // mutations of long lines do.
  const tokens = ['{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\x"', '1', '-0', '0.5e3', '01', 'true', 'nul', ' ', '\t', '\r', '"', '\\'];
  const rnd = seeded(11);
  const lines: Uint8Array[] = [];
  for (let i = 0; i < 40_000; i++) {
    let s = rnd() < 0.1 ? ' ' : '';
    s += '{';
    for (let n = Math.floor(rnd() * 12); n > 0; n--) s += tokens[Math.floor(rnd() * tokens.length)];
    lines.push(latin1(s));
  }
  // Guarantee plenty of valid ones too: well-formed skeletons built from the same tokens.
  for (let i = 0; i < 2000; i++) lines.push(latin1(spaced(rnd, JSON.stringify({ a: [rnd() < 0.5 ? {} : [], 1, 'é'], b: { c: null } }))));
  const status = checkChunk(t, joinLines(lines, rnd), 'token soup');
  const [, valid, invalid] = counts(status);
  t.true(valid > 2000 && invalid > 10_000);
});

// ---------------------------------------------------------------------------------------------------------
// Real log lines and their mutations. Needs ../shared.

const ROOT = path.resolve(__dirname, '../../..');
const SHARD = path.join(path.resolve(ROOT, '../shared'), 'corpora/real-windows/otrf-windows-000.jsonl.gz');
const REAL_LINES = 3000;

/** The first `count` lines of the shard, decompressing only a prefix of it. */
function realLines(count: number): Uint8Array[] {
  const fd = fs.openSync(SHARD, 'r');
  try {
    const head = Buffer.alloc(1 << 20);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const text = zlib.gunzipSync(head.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const out: Uint8Array[] = [];
    let pos = 0;
    while (out.length < count) {
      const nl = text.indexOf(10, pos);
      if (nl < 0) break;
      out.push(new Uint8Array(text.subarray(pos, nl)));
      pos = nl + 1;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

if (fs.existsSync(SHARD)) {
  test('real log lines and their mutations: both engines agree with JSON.parse', (t) => {
    const originals = realLines(REAL_LINES);
    t.is(originals.length, REAL_LINES);
    const rnd = seeded(2024);
    const lines: Uint8Array[] = [];
    for (const line of originals) {
      lines.push(line);
      for (let m = 0; m < 4; m++) lines.push(mutate(rnd, rnd() < 0.2 ? mutate(rnd, line) : line));
    }
    const status = checkChunk(t, joinLines(lines, rnd), 'real');
    for (let i = 0; i < originals.length; i++) t.is(status[i * 5], V, `original line ${i} is valid`);
    const [notObject, valid, invalid] = counts(status);
    t.log(`real: ${status.length} lines, ${valid} valid, ${invalid} invalid, ${notObject} not objects`);
    t.true(invalid > REAL_LINES);
  });
} else {
  test.skip(`real log lines: ${SHARD} not found (../shared absent); generated and hand-written cases still run`, () => undefined);
}
