import test from 'ava';
import RE2 from 're2';
import { parseRegex } from '../../src/regex/parse-regex';
import { re2Problems, toRe2Source } from '../../src/regex/re2-safety';
import { baseFlags } from '../../src/regex/regex-ast';
import { EDGE_CASES, ruleRegexes, testStrings } from './corpus';
import { toJsRegExp } from './js-oracle';

const compiles = (source: string) => {
  try {
    new RE2(source, 'u');
    return true;
  } catch {
    return false;
  }
};

test('classification agrees with RE2 on the real rule regexes and on unsafe constructs', (t) => {
  const real = ruleRegexes() ?? [];
  if (real.length === 0) t.log('shared rule corpus not found; only hand-written cases');
  const unsafe = ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?>a)', 'a++', 'a\\Z', 'a{1001}', '(?P<n>a)(?P=n)'];
  const safe = ['a{1000}', '\\Aa\\z', '(?P<n>a)', '(?i)abc', '[[:alpha:]]'];
  for (const source of [...real.map((r) => r.source), ...unsafe, ...safe]) {
    const ast = parseRegex(source).ast!;
    t.is(re2Problems(ast).length === 0, compiles(source), source);
  }
  t.deepEqual(re2Problems(parseRegex('x(?=a)(b)\\1').ast!).map((p) => [p.name, p.offset]), [['lookahead', 1], ['backreference', 9]]);
});

test('toRe2Source compiles and means the same as the regex (RE2 vs reference on random strings)', (t) => {
  let checked = 0;
  let seed = 100;
  for (const r of [...(ruleRegexes() ?? []), ...EDGE_CASES]) {
    const ast = parseRegex(r.source).ast!;
    const flags = baseFlags(r.flags);
    const result = toRe2Source(ast, flags);
    const oracle = toJsRegExp(ast, flags);
    if (result.kind === 'unsafe') {
      t.true(re2Problems(ast).length > 0);
      continue;
    }
    const re = new RE2(result.source, 'u');
    if (!oracle) continue;
    for (const s of testStrings(ast, flags, seed++, 60)) {
      if (/[\ud800-\udfff]/u.test(s)) continue; // lone surrogates have no UTF-8 form
      if (re.test(s) !== oracle.test(s)) t.fail(`/${r.source}/${r.flags} on ${JSON.stringify(s)}: RE2 ${result.source}`);
      checked++;
    }
  }
  t.log(`${checked} strings checked`);
  t.true(checked > 1000);
});
