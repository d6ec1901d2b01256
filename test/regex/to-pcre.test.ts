import test from 'ava';
import { parseRegex } from '../../src/regex/parse-regex';
import { toPcreSource } from '../../src/regex/to-pcre';
import { baseFlags } from '../../src/regex/regex-ast';
import { EDGE_CASES, ruleRegexes, testStrings } from './corpus';
import { grepAvailable, grepMatches } from './grep';
import { toJsRegExp } from './js-oracle';

test('toPcreSource keeps simple regexes readable', (t) => {
  t.is(toPcreSource(parseRegex('\\\\Windows\\\\[a-z]{8}\\.tmp$').ast!), '\\\\Windows\\\\[a-z]{8}\\.tmp\\z');
  t.is(toPcreSource(parseRegex('(?i)ab[c]').ast!), '(?i:ab)[Cc]');
  t.is(toPcreSource(parseRegex('a.b').ast!, 's'), 'a(?s:.)b');
});

test('toPcreSource under grep -P means the same as the regex (real grep vs reference)', (t) => {
  if (!grepAvailable()) return t.log('grep -P not available; skipped');
  let checked = 0;
  let seed = 500;
  for (const r of [...(ruleRegexes() ?? []), ...EDGE_CASES]) {
    const ast = parseRegex(r.source).ast!;
    const flags = baseFlags(r.flags);
    const oracle = toJsRegExp(ast, flags);
    if (!oracle) continue;
    // grep sees lines: no newlines, and only text with a UTF-8 form.
    const strings = testStrings(ast, flags, seed++, 80).filter((s) => !/[\n\ud800-\udfff]/u.test(s));
    const hits = grepMatches(toPcreSource(ast, flags), strings);
    strings.forEach((s, k) => {
      if (hits.has(k) !== oracle.test(s)) t.fail(`/${r.source}/${r.flags} on ${JSON.stringify(s)}: ${toPcreSource(ast, flags)}`);
      checked++;
    });
  }
  t.log(`${checked} strings checked`);
  t.true(checked > 1000);
});
