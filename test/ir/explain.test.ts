/** The readable rendering of the IR (compile --explain): structure by indentation, one line per test. */
import test from 'ava';
import { describeTest, explainIr } from '../../src/ir/explain';
import type { IrNode, ValueTest } from '../../src/ir/types';

const leaf = (field: string | null, t: ValueTest): IrNode => ({ kind: 'test', field, test: t, offset: 0 });

test('AND/OR/NOT nest by two spaces; keywords show as <keyword>', (t) => {
  const tree: IrNode = {
    kind: 'and',
    args: [
      leaf('EventID', { kind: 'number', value: 3 }),
      { kind: 'not', arg: { kind: 'or', args: [leaf('User', { kind: 'string', pattern: ['SYSTEM'], cased: false }), leaf(null, { kind: 'string', pattern: ['evil'], cased: false })] } },
    ],
  };
  t.is(explainIr(tree), ['AND', '  EventID == 3', '  NOT', '    OR', "      User matches 'SYSTEM'", "      <keyword> matches 'evil'"].join('\n'));
});

test('constants render as TRUE / FALSE', (t) => {
  t.is(explainIr({ kind: 'const', value: true }), 'TRUE');
  t.is(explainIr({ kind: 'const', value: false }), 'FALSE');
});

test('string patterns are shown in Sigma syntax, with escapes where a literal holds * ? or \\', (t) => {
  t.is(describeTest({ kind: 'string', pattern: [{ wildcard: '*' }, '\\cmd.exe'], cased: false }), String.raw`matches '*\\cmd.exe'`);
  t.is(describeTest({ kind: 'string', pattern: ['a*b', { wildcard: '?' }], cased: true }), String.raw`matches (cased) 'a\*b?'`);
});

test('each test kind has its own wording', (t) => {
  t.is(describeTest({ kind: 'regex', source: 'a.c', flags: 'im' }), "re/im 'a.c'");
  t.is(describeTest({ kind: 'regex', source: 'a.c', flags: '' }), "re 'a.c'");
  t.is(describeTest({ kind: 'bool', value: false }), '== false');
  t.is(describeTest({ kind: 'null' }), 'is null');
  t.is(describeTest({ kind: 'exists' }), 'exists');
  t.is(describeTest({ kind: 'cidr', cidr: '10.0.0.0/8', version: 4, network: '10.0.0.0', prefixLength: 8, first: '10.0.0.0', last: '10.255.255.255' }), 'in 10.0.0.0/8');
  t.is(describeTest({ kind: 'compare', op: 'gte', value: 5 }), '>= 5');
  t.is(describeTest({ kind: 'compare', op: 'lt', value: 5 }), '< 5');
  t.is(describeTest({ kind: 'timepart', part: 'hour', op: 'eq', value: 3 }), 'hour == 3');
  t.is(describeTest({ kind: 'timepart', part: 'hour', op: 'gt', value: 20 }), 'hour > 20');
});

test('fieldref wording follows its flags', (t) => {
  const fr = (startswith: boolean, endswith: boolean) => describeTest({ kind: 'fieldref', field: 'B', startswith, endswith });
  t.is(fr(false, false), 'equals field B');
  t.is(fr(true, false), 'startswith field B');
  t.is(fr(false, true), 'endswith field B');
  t.is(fr(true, true), 'contains field B');
});
