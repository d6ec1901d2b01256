import test from 'ava';
import { parseRegex } from '../../src/regex/parse-regex';
import type { RegexNode } from '../../src/regex/regex-ast';
import { EDGE_CASES, ruleRegexes } from './corpus';

const realRegexes = ruleRegexes();
(realRegexes ? test : test.skip)(`every |re value of the shared rule sets parses without problems${realRegexes ? '' : ' (../shared is absent: skipped)'}`, (t) => {
  const real = realRegexes!;
  t.true(real.length > 50);
  for (const r of real) t.deepEqual(parseRegex(r.source).problems, [], `${r.origin}: ${r.source}`);
});

test('edge cases and the wider PCRE syntax parse', (t) => {
  const more = [
    '(?=a)(?!b)(?<=c)(?<!d)(?>e)', 'a*+b++c?+d{2,3}+', 'a*?b+?c??d{2,}?', '(?P<n>a)(?P=n)\\k{n}\\g{1}\\g1',
    "(?'q'x)\\k'q'", '\\Aa\\z\\Z\\b\\B', '[[:alpha:][:^digit:]\\w\\-]', '(?i:a)(?-i)b(?is-m)c', '\\Qa.b*\\E+',
    '(?#comment)x', '(?x) a b # comment\n c', '\\x41\\x{263a}\\u0041\\0\\012\\cA\\e\\a\\o{101}', '[]a]', '[^]a]',
    'a{,3}', 'x{', 'a}', ']', '[a-]', '[\\d-z]'.replace('-z', ''), '\\/\\"\\\'',
  ];
  for (const s of [...more, ...EDGE_CASES.map((e) => e.source)]) t.deepEqual(parseRegex(s).problems, [], s);
});

test('AST shape: groups, quantifiers, classes, inline flags', (t) => {
  const { ast, groupCount } = parseRegex('(?<n>a|b)+?[^x-z\\d](?i)c');
  t.is(groupCount, 1);
  t.is(ast?.kind, 'sequence');
  const items = (ast as Extract<RegexNode, { kind: 'sequence' }>).items;
  t.like(items[0], { kind: 'quantifier', min: 1, max: undefined, mode: 'lazy', offset: 0, end: 11 });
  t.like((items[0] as Extract<RegexNode, { kind: 'quantifier' }>).body, { kind: 'group', group: 'named', name: 'n', index: 1 });
  t.like(items[1], { kind: 'class', negated: true, offset: 11, end: 19 });
  t.deepEqual((items[1] as Extract<RegexNode, { kind: 'class' }>).items, [
    { kind: 'class-range', from: 0x78, to: 0x7a, offset: 13 },
    { kind: 'class-escape', name: 'digit', negated: false, offset: 16 },
  ]);
  t.like(items[2], { kind: 'flags', on: 'i', off: '' });
  t.like(items[3], { kind: 'char', codePoint: 0x63, inline: { i: true } });
  // (?i) in one branch carries into later branches of the same group, as in PCRE and RE2.
  const alt = parseRegex('(a(?i)b|c)d').ast as Extract<RegexNode, { kind: 'sequence' }>;
  const group = alt.items[0] as Extract<RegexNode, { kind: 'group' }>;
  const c = ((group.body as Extract<RegexNode, { kind: 'alternation' }>).alternatives[1] as Extract<RegexNode, { kind: 'sequence' }>).items[0];
  t.like(c, { kind: 'char', inline: { i: true } });
  t.false('inline' in alt.items[1]!);
  t.like(parseRegex('😀').ast, { kind: 'sequence', items: [{ kind: 'char', codePoint: 0x1f600, offset: 0, end: 2 }] });
});

test('syntax errors and unsupported constructs carry codes and offsets', (t) => {
  const cases: [string, string, number][] = [
    ['(ab', 'REGEX_SYNTAX', 0], ['ab)', 'REGEX_SYNTAX', 2], ['a**', 'REGEX_SYNTAX', 2], ['*a', 'REGEX_SYNTAX', 0],
    ['[abc', 'REGEX_SYNTAX', 0], ['[z-a]', 'REGEX_SYNTAX', 1], ['a\\', 'REGEX_SYNTAX', 1], ['\\i', 'REGEX_SYNTAX', 0],
    ['(a)\\2', 'REGEX_SYNTAX', 3], ['a{3,2}', 'REGEX_SYNTAX', 1], ['(?<n>a)(?<n>b)', 'REGEX_SYNTAX', 7],
    ['\\x{110000}', 'REGEX_SYNTAX', 0], ['(?(1)a|b)', 'REGEX_UNSUPPORTED', 0], ['(?R)', 'REGEX_UNSUPPORTED', 0],
    ['a\\Kb', 'REGEX_UNSUPPORTED', 1], ['\\p{L}', 'REGEX_UNSUPPORTED', 0], ['(*UTF)a', 'REGEX_UNSUPPORTED', 0],
    ['(?u)a', 'REGEX_UNSUPPORTED', 2], ['[[:alfa:]]', 'REGEX_SYNTAX', 1],
  ];
  for (const [source, code, offset] of cases) {
    const r = parseRegex(source);
    t.is(r.ast, undefined, source);
    t.like(r.problems[0], { code, offset }, source);
  }
  t.deepEqual(parseRegex('('.repeat(300) + ')'.repeat(300)).problems.map((p) => p.code), ['REGEX_SYNTAX']);
});
