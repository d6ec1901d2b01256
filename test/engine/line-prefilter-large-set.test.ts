import test from 'ava';
import { seeded } from '../support/random';
import { bytesOf, firstFramedDifference as firstDifference, literalTable as encode, rawAddon, type RawAddonInstance as AddonInstance } from '../support/framed';
import { createLinePrefilter, nativePrefilterAvailability, type FramedChunk } from '../../src/engine/line-prefilter';

// Large literal sets run the addon's DFA as eight streams of whole lines (native-bindings/src/dfa_streams.h):
// LF resets every stream through a marker state, lanes split the chunk at line starts, and after the first
// chunk of 256 KB or more the states of a table over 256 KB are renumbered by how often that chunk visits
// them. Each case here is compared, array for array, with the JS engine, and with the addon's per-line DFA
// (which a set with a literal ending in CR keeps).

/** The addon's constructor flags (native-bindings/src/line_prefilter.cc). */
const FORCE_DFA = 2;
const LINE_LANES = 16;

const native = nativePrefilterAvailability();
const addon = rawAddon();

/** The stream DFA (the default for more than 16 literals) and the per-line DFA, each a fresh instance. */
function dfaSearches(literals: readonly Uint8Array[]): AddonInstance[] {
  if (!addon) return [];
  const [bytes, offsets] = encode(literals);
  return [0, LINE_LANES, FORCE_DFA].map((f) => new addon.LinePrefilter(bytes, offsets, f));
}

/** Words that overlap a lot: many literals are prefixes, suffixes or infixes of others and of the text. */
const WORDS = ['windows', 'system32', 'microsoft', 'process', 'user', '.exe', 'cmd', 'powershell', 'svchost', 'temp', 'appdata', 'registry', 'event', 'image', 'parent', 'command', 'line', 'hklm', 'software', 'run'];
const NOISE = ['a', 'b', 'A', 'B', 'x', 'X', '.', '\\', '"', ':', ' ', '\r', '\xc3', '\xa9', '\x00', '\xff', '{', '}'];

/** A seeded set of `count` literals: word pieces in mixed case, noise, and a few fixed awkward ones. */
function literalSet(rnd: () => number, count: number): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out = new Set<string>(['a', 'windows', 'WINDOWS', 'windows', 'x\ny', '\n', 'b\rc', '\xc3\xa9', '\xff']);
  const list = [...out, 'windows'];
  while (list.length < count) {
    let s = '';
    const parts = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < parts; i++) {
      const w = rnd() < 0.7 ? pick(WORDS) : pick(NOISE) + pick(NOISE);
      const from = Math.floor(rnd() * w.length);
      const piece = w.slice(from, from + 1 + Math.floor(rnd() * (w.length - from)));
      s += rnd() < 0.3 ? piece.toUpperCase() : piece;
    }
    if (rnd() < 0.05) s += String(Math.floor(rnd() * 1000));
    const literal = s.slice(0, 16);
    if (literal.length > 0 && !literal.endsWith('\r')) list.push(literal); // a CR at the end keeps the per-line DFA
  }
  return list;
}

/** Lines of words, noise and planted literals; LF or CRLF ends, empty lines, some long lines. */
function lines(rnd: () => number, literals: readonly string[], bytes: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: string[] = [];
  let length = 0;
  while (length < bytes) {
    const target = rnd() < 0.05 ? 0 : rnd() < 0.9 ? Math.floor(rnd() * 400) : Math.floor(rnd() * 20000);
    let line = '';
    while (line.length < target) {
      const r = rnd();
      if (r < 0.25) line += pick(literals);
      else if (r < 0.6) line += rnd() < 0.5 ? pick(WORDS).toUpperCase() : pick(WORDS);
      else line += pick(NOISE);
    }
    line += rnd() < 0.3 ? '\r\n' : '\n';
    out.push(line);
    length += line.length;
  }
  let text = out.join('');
  if (rnd() < 0.5) text = text.replace(/\r?\n$/, rnd() < 0.5 ? '' : '\r');
  return text;
}

if (!addon) {
  test.skip(`large literal sets: addon not built (${native.kind === 'unavailable' ? native.reason : ''}); skipped`, () => undefined);
} else {
  test('large sets: stream and per-line DFA agree with JS on seeded random sets and chunks', (t) => {
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = seeded(9100 + seed);
      const literals = literalSet(rnd, 200 + Math.floor(rnd() * 4000));
      const encoded = literals.map(bytesOf);
      const js = createLinePrefilter(encoded, { engine: 'js' });
      const searches = dfaSearches(encoded);
      t.true(searches.every((s) => s.literalPath === 'dfa'));
      // Small chunks first (the states keep their order), then one large enough to renumber them by, then
      // more: results must not change across it.
      const sizes = [0, 1, 50, 3000, 40000, 300000 + Math.floor(rnd() * 200000), 5000, 120000];
      for (const size of sizes) {
        const input = bytesOf(lines(rnd, literals, size));
        const expected = js.frame(input);
        for (const [i, search] of searches.entries()) {
          const difference = firstDifference(search.frame(input), expected);
          if (difference !== undefined) {
            t.fail(`seed ${seed}, ${literals.length} literals, flags #${i}, ${input.length} bytes: ${JSON.stringify(difference).slice(0, 300)}`);
            return;
          }
        }
      }
    }
    t.pass();
  });

  test('large sets: chunks with fewer lines than lanes, one long line among short ones, only empty lines', (t) => {
    const rnd = seeded(9200);
    const literals = literalSet(rnd, 1500);
    const encoded = literals.map(bytesOf);
    const js = createLinePrefilter(encoded, { engine: 'js' });
    const long = 'windows\\system32\\'.repeat(4000);
    const inputs = [
      '',
      '\n',
      '\n\n\n\n\n\n\n\n\n\n\n',
      '\r\n\r\n\r\n',
      'windows',
      'windows\n',
      'user\r\nsvchost.exe\r\n',
      'a\nb\nc\nd\ne\nf\ng',
      `${long}\nuser\n`,
      `user\n${long}`,
      `cmd\n${long}\n${long}\nprocess\nPROCESS\n`,
      `x\ny\n${long}\n`.repeat(3),
      `${'\n'.repeat(50)}windows${'\n'.repeat(50)}`,
    ];
    for (const [k, text] of inputs.entries()) {
      const input = bytesOf(text);
      const expected = js.frame(input);
      for (const [i, search] of dfaSearches(encoded).entries()) {
        t.is(firstDifference(search.frame(input), expected), undefined, `input #${k}, flags #${i}`);
      }
    }
  });

  test('large sets: every literal of the set on one line, twice, and on the next line again', (t) => {
    const literals = Array.from({ length: 40 }, (_, i) => `lit${String.fromCharCode(97 + (i % 26))}${i}`);
    const all = literals.join(' ');
    const input = bytesOf(`${all} ${all.toUpperCase()}\n${all}\n\n${all}`);
    const encoded = literals.map(bytesOf);
    const expected = createLinePrefilter(encoded, { engine: 'js' }).frame(input);
    t.deepEqual(Array.from(expected.hitOffsets), [0, 40, 80, 120]);
    for (const [i, search] of dfaSearches(encoded).entries()) t.is(firstDifference(search.frame(input), expected), undefined, `flags #${i}`);
  });

  test('large sets: a literal ending in CR keeps the per-line DFA and still matches only a lone CR', (t) => {
    const rnd = seeded(9300);
    const literals = [...literalSet(rnd, 800), 'user\r', 'exe\r'];
    const encoded = literals.map(bytesOf);
    const input = bytesOf(`${lines(rnd, literals, 60000)}\nuser\r\nuser\rx\n.exe\r\r\n.EXE\r`);
    const expected = createLinePrefilter(encoded, { engine: 'js' }).frame(input);
    for (const [i, search] of dfaSearches(encoded).entries()) t.is(firstDifference(search.frame(input), expected), undefined, `flags #${i}`);
    const userCr = literals.indexOf('user\r');
    const lineOf = (needle: string): number => Array.from(expected.lineStarts).findIndex((s, l) => Buffer.from(input.subarray(s, expected.lineEnds[l])).toString('latin1') === needle);
    const idsOn = (line: number): number[] => {
      const k = Array.from(expected.candidateLines).indexOf(line);
      return k < 0 ? [] : Array.from(expected.hitLiterals.subarray(expected.hitOffsets[k], expected.hitOffsets[k + 1]));
    };
    t.false(idsOn(lineOf('user')).includes(userCr), 'the CR of a CRLF is not part of the line');
    t.true(idsOn(lineOf('user\rx')).includes(userCr));
  });
}
