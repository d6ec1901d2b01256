import test from 'ava';
import { globToRegExp, hasGlobMeta, splitGlob } from '../../src/scan/glob';

test('* and ? stay within one segment', (t) => {
  const re = globToRegExp('*.log');
  t.true(re.test('a.log'));
  t.true(re.test('.log'));
  t.false(re.test('dir/a.log'));
  t.true(globToRegExp('a?c').test('abc'));
  t.false(globToRegExp('a?c').test('a/c'));
});

test('** spans zero or more segments', (t) => {
  const re = globToRegExp('**/*.json');
  t.true(re.test('x.json'));
  t.true(re.test('a/b/x.json'));
  t.false(re.test('a/b/x.jsonl'));
  t.true(globToRegExp('a/**').test('a/b/c'));
  t.true(globToRegExp('a/**/z').test('a/z'));
  t.true(globToRegExp('a/**/z').test('a/b/c/z'));
});

test('classes, negation and escapes', (t) => {
  t.true(globToRegExp('log[0-9].txt').test('log7.txt'));
  t.false(globToRegExp('log[!0-9].txt').test('log7.txt'));
  t.true(globToRegExp('log[!0-9].txt').test('logx.txt'));
  t.true(globToRegExp('a\\*b').test('a*b'));
  t.false(globToRegExp('a\\*b').test('axb'));
  t.true(globToRegExp('a.b+(c)').test('a.b+(c)'));
  t.false(globToRegExp('a.b').test('axb'));
});

test('splitGlob finds the static base', (t) => {
  t.deepEqual(splitGlob('logs/2024/*.gz'), { base: 'logs/2024', pattern: '*.gz' });
  t.deepEqual(splitGlob('**/*.gz'), { base: '', pattern: '**/*.gz' });
  t.deepEqual(splitGlob('/var/log/*.log'), { base: '/var/log', pattern: '*.log' });
  t.true(hasGlobMeta('a/*'));
  t.false(hasGlobMeta('a/\\*'));
});
