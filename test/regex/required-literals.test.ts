import test from 'ava';
import { parseRegex } from '../../src/regex/parse-regex';
import { requiredLiterals } from '../../src/regex/required-literals';
import { baseFlags } from '../../src/regex/regex-ast';
import { EDGE_CASES, ruleRegexes, testStrings } from './corpus';
import { toJsRegExp } from './js-oracle';

const lit = (source: string, flags = '') => requiredLiterals(parseRegex(source).ast!, flags);

test('useful literal sets', (t) => {
  t.deepEqual(lit('\\$VerbosePreference\\.ToString\\('), { literals: ['$VerbosePreference.ToString('], caseInsensitive: false });
  t.deepEqual(lit('(foo|bar)\\d+'), { literals: ['foo', 'bar'], caseInsensitive: false });
  t.deepEqual(lit('[Rr][Uu][Nn]32'), { literals: ['run32'], caseInsensitive: true });
  t.is(lit('.*'), undefined);
  t.is(lit('\\w+|abc'), undefined);
  t.deepEqual(lit('\\d|abc')?.literals.length, 11);
  t.is(lit('(?:abc)?'), undefined);
});

test('case-insensitive literals include the spellings ASCII folding misses', (t) => {
  const r = lit('k', 'i')!;
  t.true(r.caseInsensitive);
  t.deepEqual([...r.literals].sort(), ['k', '\u212a']);
});

test('soundness: every string a regex matches contains one of its literals', (t) => {
  let checked = 0;
  let seed = 900;
  for (const r of [...(ruleRegexes() ?? []), ...EDGE_CASES]) {
    const ast = parseRegex(r.source).ast!;
    const flags = baseFlags(r.flags);
    const oracle = toJsRegExp(ast, flags);
    const result = requiredLiterals(ast, flags);
    if (!oracle || !result) continue;
    const fold = (s: string) => (result.caseInsensitive ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
    for (const s of testStrings(ast, flags, seed++, 150)) {
      if (!oracle.test(s)) continue;
      checked++;
      if (!result.literals.some((l) => fold(s).includes(fold(l)))) t.fail(`/${r.source}/${r.flags} matches ${JSON.stringify(s)} without ${JSON.stringify(result.literals)}`);
    }
  }
  t.log(`${checked} matching strings checked`);
  t.true(checked > 1000);
});
