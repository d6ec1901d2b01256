/** Pattern helpers: normalisation, the wildcard edits contains/startswith/endswith use, and Sigma rendering. */
import test from 'ava';
import {
  endsWithStar,
  hasPlaceholders,
  hasWildcards,
  mapLiterals,
  normalizePattern,
  patternToSigma,
  plainLiteral,
  startsWithStar,
  withLeadingStar,
  withTrailingStar,
} from '../../src/ir/pattern';
import { parseSigmaString } from '../../src/rule/sigma-string';
import type { Pattern } from '../../src/ir/types';

const STAR = { wildcard: '*' } as const;
const ONE = { wildcard: '?' } as const;
const PH = { placeholder: 'Admins' } as const;

test('normalizePattern merges adjacent literals and drops empty ones', (t) => {
  t.deepEqual(normalizePattern(['a', '', 'b', STAR, '', 'c', 'd']), ['ab', STAR, 'cd']);
  t.deepEqual(normalizePattern(['', '']), []);
});

test('normalizePattern collapses ** but keeps ?? and *?*', (t) => {
  t.deepEqual(normalizePattern([STAR, STAR, 'x', STAR, STAR, STAR]), [STAR, 'x', STAR]);
  t.deepEqual(normalizePattern([ONE, ONE]), [ONE, ONE]);
  t.deepEqual(normalizePattern([STAR, ONE, STAR]), [STAR, ONE, STAR]);
});

test('normalizePattern keeps placeholders and does not merge literals across them', (t) => {
  t.deepEqual(normalizePattern(['a', PH, 'b']), ['a', PH, 'b']);
});

test('withLeadingStar / withTrailingStar add one star, never a second', (t) => {
  t.deepEqual(withLeadingStar(['x']), [STAR, 'x']);
  t.deepEqual(withLeadingStar([STAR, 'x']), [STAR, 'x']);
  t.deepEqual(withTrailingStar(['x']), ['x', STAR]);
  t.deepEqual(withTrailingStar(['x', STAR]), ['x', STAR]);
  // `?` is not `*`: a star is still added.
  t.deepEqual(withLeadingStar([ONE, 'x']), [STAR, ONE, 'x']);
  t.deepEqual(withTrailingStar([]), [STAR]);
});

test('startsWithStar / endsWithStar', (t) => {
  t.true(startsWithStar([STAR, 'a']));
  t.false(startsWithStar(['a', STAR]));
  t.false(startsWithStar([]));
  t.true(endsWithStar(['a', STAR]));
  t.false(endsWithStar([ONE]));
});

test('hasWildcards and hasPlaceholders tell wildcards from placeholders', (t) => {
  t.false(hasWildcards(['abc']));
  t.true(hasWildcards(['a', ONE]));
  t.false(hasWildcards(['a', PH]));
  t.true(hasPlaceholders(['a', PH]));
  t.false(hasPlaceholders([STAR]));
});

test('plainLiteral: one literal, the empty pattern, or undefined', (t) => {
  t.is(plainLiteral(['abc']), 'abc');
  t.is(plainLiteral([]), '');
  t.is(plainLiteral(['a', STAR]), undefined);
  t.is(plainLiteral([PH]), undefined);
});

test('mapLiterals maps literal runs only and renormalises', (t) => {
  t.deepEqual(mapLiterals(['ab', STAR, 'cd'], (s) => s.toUpperCase()), ['AB', STAR, 'CD']);
  // A literal mapped to '' disappears, and the stars around it collapse.
  t.deepEqual(mapLiterals([STAR, 'x', STAR], () => ''), [STAR]);
});

test('patternToSigma escapes *, ? and \\ in literals', (t) => {
  t.is(patternToSigma(['a*b', STAR, 'c?d\\e', ONE]), String.raw`a\*b*c\?d\\e?`);
  t.is(patternToSigma(['x', PH]), 'x%Admins%');
});

test('patternToSigma output parses back to the same pattern', (t) => {
  const samples: Pattern[] = [
    ['C:\\Windows\\', STAR],
    [STAR, '\\\\server\\share', ONE, 'x*y?z'],
    ['trailing\\'],
    ['\\*', STAR, '\\?'],
    [],
  ];
  for (const p of samples) t.deepEqual(parseSigmaString(patternToSigma(p)), p, JSON.stringify(p));
});
