import test from 'ava';
import { parseRegex } from '../../src/regex/parse-regex';
import { jsonEscapeLiteralRegex, toJsonValueRegex } from '../../src/regex/json-text-regex';
import { baseFlags } from '../../src/regex/regex-ast';
import { EDGE_CASES, ruleRegexes, testStrings, NOISE, rng, noise, type CorpusRegex } from './corpus';
import { grepAvailable, grepMatches, jsonEnsureAscii } from './grep';
import { toJsRegExp } from './js-oracle';

const hasGrep = grepAvailable();

function corpus(t: { log: (...a: unknown[]) => void }): CorpusRegex[] {
  const real = ruleRegexes();
  if (!real) t.log('shared rule corpus not found; using the hand-written cases only');
  return [...(real ?? []), ...EDGE_CASES];
}

test('toJsonValueRegex matches the same values as the regex, on JSON.stringify and ensure_ascii text (real grep -P)', (t) => {
  if (!hasGrep) return t.log('grep -P not available; skipped');
  let checked = 0;
  let seed = 1;
  const untranslated: string[] = [];
  for (const r of corpus(t)) {
    const ast = parseRegex(r.source).ast!;
    const flags = baseFlags(r.flags);
    const oracle = toJsRegExp(ast, flags);
    if (!oracle) continue;
    const result = toJsonValueRegex(ast, flags);
    if (result.kind === 'problem') {
      untranslated.push(`${r.source} (${result.problem.message})`);
      continue;
    }
    const strings = testStrings(ast, flags, seed++);
    const lines = strings.flatMap((s) => [JSON.stringify({ f: s }), jsonEnsureAscii({ f: s }), JSON.stringify({ g: 'x', f: s, h: s })]);
    const hits = grepMatches(`"f":"${result.source}`, lines);
    strings.forEach((s, k) => {
      const expected = oracle.test(s);
      for (let v = 0; v < 3; v++) {
        const got = hits.has(3 * k + v);
        if (got !== expected) t.fail(`/${r.source}/${r.flags} on ${JSON.stringify(s)} (variant ${v}): expected ${expected}\n  ${result.source}`);
      }
      checked++;
    });
  }
  t.log(`${checked} strings checked; not translatable: ${untranslated.join('; ') || 'none'}`);
  t.true(checked > 1000);
});

test('constructs with no exact JSON form are reported, not approximated', (t) => {
  for (const [source, flags] of [['(?<=ab)c', ''], ['.*\\b', ''], ['(?i)(a)\\1', '']] as const) {
    const r = toJsonValueRegex(parseRegex(source).ast!, flags);
    t.is(r.kind, 'problem', source);
    if (r.kind === 'problem') t.is(r.problem.code, 'REGEX_NOT_JSON_TRANSLATABLE');
  }
  const lb = toJsonValueRegex(parseRegex('x(?<=ab)c').ast!, '');
  t.true(lb.kind === 'problem' && lb.problem.offset === 1);
});

test('anchoredStart: a leading ^ needs no skip prefix', (t) => {
  const a = toJsonValueRegex(parseRegex('^abc').ast!, '');
  const b = toJsonValueRegex(parseRegex('abc').ast!, '');
  const c = toJsonValueRegex(parseRegex('^abc').ast!, 'm');
  t.true(a.kind === 'ok' && a.anchoredStart);
  t.true(b.kind === 'ok' && !b.anchoredStart);
  t.true(c.kind === 'ok' && !c.anchoredStart);
});

test('jsonEscapeLiteralRegex matches exactly the JSON-escaped literal (real grep -P)', (t) => {
  if (!hasGrep) return t.log('grep -P not available; skipped');
  const rand = rng(7);
  const texts = ['C:\\Windows\\', 'say "hi"', 'a/b', 'tab\there', 'é😀', '\u0000\u001f\u007f', ...NOISE];
  for (let k = 0; k < 60; k++) texts.push(noise(rand, 8));
  for (const text of texts) {
    const pattern = `"f":"${jsonEscapeLiteralRegex(text)}"`;
    const others = [text + 'x', 'x' + text, text.slice(1), text.toUpperCase()].filter((o) => o !== text);
    const lines = [JSON.stringify({ f: text }), jsonEnsureAscii({ f: text }), ...others.map((o) => JSON.stringify({ f: o }))];
    const hits = grepMatches(pattern, lines);
    t.true(hits.has(0) && hits.has(1), `literal ${JSON.stringify(text)}`);
    others.forEach((_, i) => t.false(hits.has(2 + i), `literal ${JSON.stringify(text)} vs ${JSON.stringify(others[i])}`));
  }
});
