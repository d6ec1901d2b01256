/** IR test → plan leaf: the cheapest exactly-equivalent strategy, and RE2 safety of `re` values. */
import test from 'ava';
import RE2 from 're2';
import { classifyLeaf } from '../../../src/backends/plan/classify-leaf';
import { buildPlan } from '../../../src/backends/plan';
import { loadRuleText } from '../../../src/rule/load-rules';
import { compileRule } from '../../../src/ir/compile-rule';
import { LineIndex } from '../../../src/util/diagnostics';
import type { Pattern, TestNode, ValueTest } from '../../../src/ir/types';
import type { PlanLeaf } from '../../../src/plan/types';

const STAR = { wildcard: '*' } as const;
const ONE = { wildcard: '?' } as const;
const node = (field: string | null, test: ValueTest): TestNode => ({ kind: 'test', field, test, offset: 0 });
const str = (pattern: Pattern, cased = false, field: string | null = 'f') => node(field, { kind: 'string', pattern, cased });

function leafOf(n: TestNode): PlanLeaf {
  const r = classifyLeaf(n);
  if (!r.ok) throw new Error(r.message);
  return r.leaf;
}

test('literal patterns pick exact / prefix / suffix / contains / any', (t) => {
  t.deepEqual(leafOf(str(['abc'])), { field: 'f', kind: 'exact', value: 'abc', cased: false });
  t.deepEqual(leafOf(str([])), { field: 'f', kind: 'exact', value: '', cased: false });
  t.deepEqual(leafOf(str(['abc', STAR])), { field: 'f', kind: 'prefix', value: 'abc', cased: false });
  t.deepEqual(leafOf(str([STAR, '\\cmd.exe'])), { field: 'f', kind: 'suffix', value: '\\cmd.exe', cased: false });
  t.deepEqual(leafOf(str([STAR, 'abc', STAR], true)), { field: 'f', kind: 'contains', value: 'abc', cased: true });
  t.deepEqual(leafOf(str([STAR])), { field: 'f', kind: 'any', value: '', cased: false });
});

test('a keyword is a contains leaf without a field', (t) => {
  t.deepEqual(leafOf(str(['evil'], false, null)), { field: null, kind: 'contains', value: 'evil', cased: false });
  t.deepEqual(leafOf(node(null, { kind: 'number', value: 4688 })), { field: null, kind: 'contains', value: '4688', cased: false });
});

test('? or an inner * needs a regex, anchored, dotall, case-insensitive unless cased', (t) => {
  const cases: [Pattern, boolean, string[], string[]][] = [
    [['a', ONE, 'c'], false, ['abc', 'A\nC'], ['ac', 'abbc', 'xabc']],
    [['a', STAR, 'c'], false, ['ac', 'A\nxxC'], ['acx']],
    [[STAR, 'a', ONE], true, ['xxab'], ['xxAb', 'xxa']],
    [['a.b', STAR, '(x)'], false, ['a.bZZ(x)'], ['aXbZZ(x)', 'a.bZZx']],
  ];
  for (const [pattern, cased, yes, no] of cases) {
    const leaf = leafOf(str(pattern, cased));
    if (leaf.kind !== 'regex') return t.fail(`expected regex for ${JSON.stringify(pattern)}`);
    const re = new RE2(leaf.source, 'u');
    for (const s of yes) t.true(re.test(s), `${leaf.source} should match ${JSON.stringify(s)}`);
    for (const s of no) t.false(re.test(s), `${leaf.source} should not match ${JSON.stringify(s)}`);
  }
});

test('typed tests map one to one', (t) => {
  t.deepEqual(leafOf(node('n', { kind: 'number', value: 3 })), { field: 'n', kind: 'number', value: 3 });
  t.deepEqual(leafOf(node('b', { kind: 'bool', value: true })), { field: 'b', kind: 'bool', value: true });
  t.deepEqual(leafOf(node('x', { kind: 'null' })), { field: 'x', kind: 'null' });
  t.deepEqual(leafOf(node('x', { kind: 'exists' })), { field: 'x', kind: 'exists' });
  t.deepEqual(leafOf(node('n', { kind: 'compare', op: 'lte', value: 9 })), { field: 'n', kind: 'compare', op: 'lte', value: 9 });
  t.deepEqual(leafOf(node('ts', { kind: 'timepart', part: 'day', op: 'eq', value: 1 })), { field: 'ts', kind: 'timepart', part: 'day', op: 'eq', value: 1 });
  t.deepEqual(
    leafOf(node('ip', { kind: 'cidr', cidr: '10.0.0.0/8', version: 4, network: '10.0.0.0', prefixLength: 8, first: '10.0.0.0', last: '10.255.255.255' })),
    { field: 'ip', kind: 'cidr', version: 4, first: '10.0.0.0', last: '10.255.255.255' },
  );
});

test('fieldref flags become its mode', (t) => {
  const mode = (startswith: boolean, endswith: boolean) => {
    const l = leafOf(node('a', { kind: 'fieldref', field: 'b', startswith, endswith }));
    return l.kind === 'fieldref' ? `${l.other}:${l.mode}` : l.kind;
  };
  t.is(mode(false, false), 'b:equals');
  t.is(mode(true, false), 'b:prefix');
  t.is(mode(false, true), 'b:suffix');
  t.is(mode(true, true), 'b:contains');
});

test('an RE2-safe re becomes a regex leaf that searches, with its flags', (t) => {
  const leaf = leafOf(node('f', { kind: 'regex', source: 'b+c', flags: 'i' }));
  if (leaf.kind !== 'regex') return t.fail('not a regex');
  const re = new RE2(leaf.source, 'u');
  t.true(re.test('xxBBCxx'));
  t.false(re.test('xxbxx'));
});

test('a lookbehind or a backreference is REGEX_NOT_RE2_SAFE, never a leaf', (t) => {
  for (const source of ['(?<=a)b', '(?<!a)b', 'a(?=b)', '(a)\\1']) {
    const r = classifyLeaf(node('f', { kind: 'regex', source, flags: '' }));
    t.false(r.ok, source);
    if (!r.ok) t.is(r.code, 'REGEX_NOT_RE2_SAFE', source);
  }
});

test('buildPlan lists a rule with an unsafe re as a problem at the value, and plans the others', (t) => {
  const rules = [
    "title: Unsafe\nlogsource: {product: windows}\ndetection:\n    sel:\n        f|re: '(?<=a)b'\n    condition: sel\n",
    "title: Safe\nlogsource: {product: windows}\ndetection:\n    sel:\n        f|contains: 'abc'\n    condition: sel\n",
  ].map((text, i) => {
    const doc = loadRuleText(`r${i}.yml`, text).documents[0];
    if (!doc || doc.kind !== 'rule') throw new Error('load');
    const compiled = compileRule(doc, new LineIndex(`r${i}.yml`, text));
    return { rule: doc, ir: compiled.ir!, text };
  });
  const { plan, problems } = buildPlan(rules, { mapping: null, fieldResolution: 'keys' });
  t.deepEqual(plan.rules.map((r) => r.title), ['Safe']);
  t.is(problems.length, 1);
  t.is(problems[0]!.code, 'REGEX_NOT_RE2_SAFE');
  t.is(problems[0]!.rule.title, 'Unsafe');
  t.is(problems[0]!.offset, rules[0]!.text.indexOf("'(?<=a)b'"));
});

test('buildPlan shares equal leaves between rules', (t) => {
  const make = (title: string) => {
    const text = `title: ${title}\nlogsource: {product: windows}\ndetection:\n    sel:\n        f|contains: 'abc'\n    condition: sel\n`;
    const doc = loadRuleText('r.yml', text).documents[0];
    if (!doc || doc.kind !== 'rule') throw new Error('load');
    return { rule: doc, ir: compileRule(doc, new LineIndex('r.yml', text)).ir! };
  };
  const { plan } = buildPlan([make('A'), make('B')], { mapping: null, fieldResolution: 'keys' });
  t.is(plan.leaves.length, 1);
  t.deepEqual(plan.rules.map((r) => r.condition), [{ leaf: 0 }, { leaf: 0 }]);
});
