/**
 * Sigma string values → literal runs and wildcards. Expectations are the escape table of the Sigma spec §4
 * (../shared/reference/sigma-spec.md), written out by hand: `\` escapes only `*`, `?` and `\`.
 */
import test from 'ava';
import { parseSigmaString } from '../../src/rule/sigma-string';
import type { Pattern } from '../../src/ir/types';

const STAR = { wildcard: '*' } as const;
const ONE = { wildcard: '?' } as const;

// Each row: the text as written inside YAML single quotes (so exactly these characters), and the parts.
const SPEC_ROWS: readonly [string, string, Pattern][] = [
  ['str-esc-star', String.raw`a\*b`, ['a*b']],
  ['str-esc-qmark', String.raw`a\?b`, ['a?b']],
  ['str-lone-backslash', String.raw`C:\Windows`, ['C:' + '\\' + 'Windows']],
  ['str-double-backslash', String.raw`C:\\Windows`, ['C:' + '\\' + 'Windows']],
  ['str-esc-backslash-then-wildcard', String.raw`dir\\*`, ['dir' + '\\', STAR]],
  ['str-three-backslash-star', String.raw`a\\\*`, ['a' + '\\' + '*']],
  ['str-three-backslash-plain', String.raw`a\\\b`, ['a' + '\\\\' + 'b']],
  ['str-four-backslash', String.raw`a\\\\b`, ['a' + '\\\\' + 'b']],
  ['unc path with an escaped trailing backslash', String.raw`\\\\server\share\\`, ['\\\\' + 'server' + '\\' + 'share' + '\\']],
];

for (const [name, written, expected] of SPEC_ROWS) {
  test(`spec §4 ${name}: ${written}`, (t) => {
    t.deepEqual(parseSigmaString(written), expected);
  });
}

test('spec §4 str-unc-path as written, with a single trailing backslash', (t) => {
  // Two escaped backslashes, a lone one before `s`, and a trailing one: `\\server\share\`.
  t.deepEqual(parseSigmaString('\\\\\\\\server\\share\\'), ['\\\\server\\share\\']);
});

test('a trailing backslash is a literal backslash (str-trailing-backslash)', (t) => {
  t.deepEqual(parseSigmaString('abc\\'), ['abc\\']);
  t.deepEqual(parseSigmaString('\\'), ['\\']);
});

test('regex metacharacters are plain literals (str-regex-metachars)', (t) => {
  t.deepEqual(parseSigmaString('a.b+c(d)[e]{f}^g$h|i'), ['a.b+c(d)[e]{f}^g$h|i']);
});

test('* and ? are wildcards anywhere', (t) => {
  t.deepEqual(parseSigmaString('*'), [STAR]);
  t.deepEqual(parseSigmaString('?'), [ONE]);
  t.deepEqual(parseSigmaString('*abc'), [STAR, 'abc']);
  t.deepEqual(parseSigmaString('abc*'), ['abc', STAR]);
  t.deepEqual(parseSigmaString('a?c'), ['a', ONE, 'c']);
  t.deepEqual(parseSigmaString('te?t*x'), ['te', ONE, 't', STAR, 'x']);
});

test('** collapses to one * but ?? stays two single-character wildcards', (t) => {
  t.deepEqual(parseSigmaString('a**b'), ['a', STAR, 'b']);
  t.deepEqual(parseSigmaString('a??b'), ['a', ONE, ONE, 'b']);
  t.deepEqual(parseSigmaString('a*?*b'), ['a', STAR, ONE, STAR, 'b']);
});

test('an escaped wildcard next to a real one: literal then wildcard', (t) => {
  t.deepEqual(parseSigmaString(String.raw`\**`), ['*', STAR]);
  t.deepEqual(parseSigmaString(String.raw`*\?`), [STAR, '?']);
});

test('the empty string is the empty pattern', (t) => {
  t.deepEqual(parseSigmaString(''), []);
});

test('non-ASCII and astral characters are kept as literal text', (t) => {
  t.deepEqual(parseSigmaString('café*😀'), ['café', STAR, '😀']);
});

test('backslash before another character keeps both (\\n is not a newline)', (t) => {
  t.deepEqual(parseSigmaString(String.raw`a\nb`), ['a\\nb']);
  t.deepEqual(parseSigmaString(String.raw`\%x\%`), ['\\%x\\%']);
});
