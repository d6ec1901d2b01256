/**
 * Encodings behind base64, base64offset, wide/utf16*, windash. Expectations come from Node's Buffer (an
 * independent encoder), from the spec's examples, and from first principles: a base64offset rendering must
 * consist of exactly the base64 characters whose six bits all come from the value's bytes.
 */
import test from 'ava';
import { seeded } from '../support/random';
import { base64, base64Offsets, toBytes, utf16, UTF16_BOM, WINDASH_CHARACTERS, windashPositions } from '../../src/ir/encodings';

test('base64 of text encodes its UTF-8 bytes with padding (spec: http:// → aHR0cDovLw==)', (t) => {
  t.is(base64('http://', false), 'aHR0cDovLw==');
  t.is(base64('é', false), Buffer.from([0xc3, 0xa9]).toString('base64'));
  t.is(base64('a', false), 'YQ==');
  t.is(base64('', false), '');
});

test('base64 of a byte string encodes the char codes as bytes, not as UTF-8', (t) => {
  // 0xff as a byte is /w==; as UTF-8 text it would be C3 BF → w78=.
  t.is(base64('\xff', true), '/w==');
  t.is(base64('\xff', false), 'w78=');
  t.deepEqual([...toBytes('\xff\x00a', true)], [0xff, 0x00, 0x61]);
});

test('base64offset of "http" gives the spec example aHR0c, h0dH, odHRw', (t) => {
  t.deepEqual(base64Offsets('http', false), ['aHR0c', 'h0dH', 'odHRw']);
});

/**
 * The characters of base64(prefix(i bytes) + value + suffix) fully determined by the value: character k
 * covers bits 6k..6k+5, so it is determined when 6k ≥ 8i and 6k+5 ≤ 8(i+n)−1.
 */
function determinedChars(value: Buffer, offset: number): string {
  const blob = Buffer.concat([Buffer.alloc(offset, 0x41), value, Buffer.alloc(3, 0x41)]).toString('base64');
  const first = Math.ceil((8 * offset) / 6);
  const last = Math.floor((8 * (offset + value.length) - 6) / 6);
  return blob.slice(first, last + 1);
}

const VALUES = ['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'http://', 'powershell -enc', 'é€😀', 'x\u0000y'];

for (const v of VALUES) {
  test(`base64offset(${JSON.stringify(v)}) is exactly the value-determined characters at offsets 0, 1, 2`, (t) => {
    const bytes = Buffer.from(v, 'utf8');
    t.deepEqual(base64Offsets(v, false), [0, 1, 2].map((i) => determinedChars(bytes, i)));
  });
}

test('base64offset of bytes (after wide) reads char codes as bytes: cmd → YwBtAGQA, MAbQBkA, jAG0AZA', (t) => {
  const wide = utf16('cmd', false);
  const bytes = Buffer.from('cmd', 'utf16le');
  t.deepEqual(base64Offsets(wide, true), [0, 1, 2].map((i) => determinedChars(bytes, i)));
  t.deepEqual(base64Offsets(wide, true), ['YwBtAGQA', 'MAbQBkA', 'jAG0AZA']);
});

test('every base64offset rendering occurs in the base64 of the value embedded at any offset', (t) => {
  const rand = seeded(7);
  const rnd = () => Math.floor(rand() * 256);
  for (const v of VALUES) {
    const bytes = Buffer.from(v, 'utf8');
    const renderings = base64Offsets(v, false);
    for (let prefixLength = 0; prefixLength < 9; prefixLength++) {
      for (let trial = 0; trial < 5; trial++) {
        const prefix = Buffer.from(Array.from({ length: prefixLength }, rnd));
        const suffix = Buffer.from(Array.from({ length: trial }, rnd));
        const blob = Buffer.concat([prefix, bytes, suffix]).toString('base64');
        const r = renderings[prefixLength % 3]!;
        t.true(blob.includes(r), `${JSON.stringify(v)} at offset ${prefixLength}: ${r} not in ${blob}`);
      }
    }
  }
});

test('utf16 little- and big-endian agree with Buffer, surrogate pairs included', (t) => {
  for (const s of ['cmd', 'é', '€', '😀', 'a\u0000b', '']) {
    t.is(utf16(s, false), Buffer.from(s, 'utf16le').toString('latin1'), `LE ${JSON.stringify(s)}`);
    t.is(utf16(s, true), Buffer.from(s, 'utf16le').swap16().toString('latin1'), `BE ${JSON.stringify(s)}`);
  }
  t.is(utf16('cmd', false), 'c\0m\0d\0');
  t.is(utf16('cmd', true), '\0c\0m\0d');
});

test('the utf16 byte-order mark is FF FE, as the spec says (not U+FEFF in UTF-8)', (t) => {
  t.deepEqual([...Buffer.from(UTF16_BOM, 'latin1')], [0xff, 0xfe]);
  t.is(base64(UTF16_BOM + utf16('cmd', false), true), '//5jAG0AZAA=');
});

test('windash characters: - / en dash, em dash, horizontal bar', (t) => {
  t.deepEqual([...WINDASH_CHARACTERS], ['-', '/', '\u2013', '\u2014', '\u2015']);
});

test('windash positions follow \\B[-/]\\b', (t) => {
  const cases: [string, number[]][] = [
    [' -exec ', [1]],
    ['-enc', [0]], // string start counts as a non-word character
    ['/c', [0]],
    ['a-b -c', [4]], // a dash inside a word is not a flag
    [' -a -b', [1, 4]],
    ['a--b', [2]], // between two non-word characters, then before a word
    ['--x', [1]],
    [' -', []], // nothing after: no word follows
    [' - x', []],
    [' -1', [1]], // digits are word characters
    [' -_x', [1]], // so is underscore
    ['_-x', []],
    ['x/y', []],
    ['C:\\Windows /s', [11]],
    ['', []],
  ];
  for (const [text, expected] of cases) t.deepEqual(windashPositions(text, false), expected, JSON.stringify(text));
});

test('windash positions treat Unicode letters as word characters (Python re is Unicode-aware)', (t) => {
  t.deepEqual(windashPositions(' -é', false), [1]);
  t.deepEqual(windashPositions('é-x', false), []);
  t.deepEqual(windashPositions(' /Ω', false), [1]);
  t.deepEqual(windashPositions('ж-x', false), []);
  t.deepEqual(windashPositions(' -٣', false), [1]); // an Arabic-Indic digit is \w too
});

test('windash at the start of a part follows the previous context', (t) => {
  t.deepEqual(windashPositions('-x', true), []);
  t.deepEqual(windashPositions('-x', false), [0]);
  // The context only matters for index 0.
  t.deepEqual(windashPositions(' -x', true), [1]);
});
