/**
 * `--fields raw` (the default) and the output formats: values are searched anywhere in the line, correctly
 * escaped; tests that need a field name are refused. Run with real GNU grep.
 */
import test from 'ava';
import { compileGrep } from '../../../src/backends/grep';
import type { IrNode } from '../../../src/ir/types';
import { grepLineNumbers } from '../../support/grep';
import { expectLines, oneLiner, runCommand } from './helpers';

const RULE = "    sel:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: 'it''s'\n    condition: sel\n";

test('--format regex is the bare pattern; command is grep -P -i with the pattern single-quoted', (t) => {
  const regex = oneLiner(RULE, 'raw', 'regex');
  const command = oneLiner(RULE, 'raw', 'command');
  if (!regex.ok || !command.ok) return t.fail('not convertible');
  t.is(regex.output, regex.pattern);
  t.true(regex.output.startsWith('^'));
  t.is(command.pattern, regex.pattern);
  t.is(command.output, `grep -P -i '${regex.pattern.replace(/'/g, `'"'"'`)}'`);
});

test('the printed command, run by sh, selects the same lines as the bare pattern', (t) => {
  const lines = ["C:\\w\\cmd.exe /c echo it's", 'C:\\w\\cmd.exe /c echo its', "C:\\w\\xcmd.exe it's", "C:\\W\\CMD.EXE IT'S"];
  for (const fields of ['raw', 'json'] as const) {
    const input = fields === 'raw' ? lines : lines.map((l) => JSON.stringify({ Image: l.split(' ')[0], CommandLine: l }));
    const command = oneLiner(RULE, fields, 'command');
    if (!command.ok) return t.fail('not convertible');
    const viaShell = runCommand(command.output, input);
    const direct = grepLineNumbers(command.pattern, `${input.join('\n')}\n`);
    t.is(viaShell.stderr, '');
    t.deepEqual(viaShell.lines, [1, 4], fields);
    t.deepEqual(direct.lines, viaShell.lines, fields);
  }
});

test('a value full of regex and shell metacharacters is literal', (t) => {
  const rule = "    sel:\n        f|contains: '${jndi:ldap://a.b}|(x)[y]{2}+^$ `id` \"q\"'\n    condition: sel\n";
  const value = '${jndi:ldap://a.b}|(x)[y]{2}+^$ `id` "q"';
  expectLines(t, rule, 'raw', [`pre ${value} post`], ['${jndi:ldap://aXb}|(x)[y]{2}+^$ `id` "q"', '${jndi:ldap://a.b}|x[y]{2}+^$ `id` "q"']);
  const command = oneLiner(rule, 'raw', 'command');
  if (!command.ok) return t.fail('not convertible');
  t.deepEqual(runCommand(command.output, [`pre ${value} post`, 'nothing']).lines, [1]);
});

test('cased is exact under -i; the rest of the rule stays case-insensitive', (t) => {
  const rule = "    sel:\n        a|cased: 'MiXeD'\n        b: 'lower'\n    condition: sel\n";
  expectLines(t, rule, 'raw', ['MiXeD LOWER'], ['mixed lower', 'MIXED lower']);
});

test('numbers do not match inside longer numbers; booleans not inside words', (t) => {
  expectLines(t, '    sel:\n        EventID: 4688\n    condition: sel\n', 'raw', ['EventID=4688', '4688', 'id:4688,'], ['EventID=46880', 'EventID=14688']);
  expectLines(t, '    sel:\n        f: true\n    condition: sel\n', 'raw', ['f=true', 'f=TRUE;'], ['f=untrue', 'f=trueish']);
});

test('a quoted number is a string: it matches inside longer text', (t) => {
  expectLines(t, "    sel:\n        EventID: '4688'\n    condition: sel\n", 'raw', ['EventID=4688', 'EventID=46880'], ['EventID=468']);
});

test('cidr IPv4 in raw lines: first/last address in, neighbours and longer numbers out', (t) => {
  expectLines(t, "    sel:\n        ip|cidr: '192.168.0.0/23'\n    condition: sel\n", 'raw', ['src=192.168.0.0 x', 'src=192.168.1.255', 'a 192.168.1.7:443'], ['src=192.168.2.0', 'src=192.167.255.255', 'src=1192.168.0.1', 'src=192.168.0.1234', 'src=192.168.0.1.5']);
});

test('* and ? in raw lines: * crosses anything, ? is one character', (t) => {
  expectLines(t, "    sel:\n        f: 'a*b?c'\n    condition: sel\n", 'raw', ['xx a--bXc yy', 'abxc'], ['a--bc', 'a--bXXc']);
});

test('keywords are substrings of the line', (t) => {
  expectLines(t, "    kw:\n        - 'mimikatz'\n        - 'sekurlsa::'\n    condition: kw\n", 'raw', ['run Mimikatz.exe', 'sekurlsa::logonpasswords'], ['mimi katz']);
});

test('refusals in raw mode name the construct and point at the value: null, exists, fieldref, compare, timepart, IPv6 cidr', (t) => {
  const rules = [
    '    sel:\n        f: null\n    condition: sel\n',
    '    sel:\n        f|exists: true\n    condition: sel\n',
    '    sel:\n        f|fieldref: g\n    condition: sel\n',
    '    sel:\n        f|gt: 3\n    condition: sel\n',
    '    sel:\n        f|year: 2020\n    condition: sel\n',
    "    sel:\n        f|cidr: '::1/128'\n    condition: sel\n",
  ];
  for (const rule of rules) {
    const r = oneLiner(rule, 'raw');
    t.false(r.ok, rule);
    if (!r.ok) t.is(r.problems.length, 1, rule);
  }
});

test('all problems of a rule are reported, not just the first', (t) => {
  const r = oneLiner('    sel:\n        f|gt: 3\n        g: null\n    condition: sel\n', 'raw');
  t.false(r.ok);
  if (!r.ok) t.is(r.problems.length, 2);
});

test('constants: an always-true tree is ^, an always-false one never matches', (t) => {
  const tru: IrNode = { kind: 'const', value: true };
  const fls: IrNode = { kind: 'const', value: false };
  const a = compileGrep(tru, { fields: 'raw', format: 'regex' });
  const b = compileGrep(fls, { fields: 'raw', format: 'regex' });
  if (!a.ok || !b.ok) return t.fail('not convertible');
  t.deepEqual(grepLineNumbers(a.pattern, 'x\ny\n').lines, [1, 2]);
  t.deepEqual(grepLineNumbers(b.pattern, 'x\ny\n').lines, []);
});

test('a not around an AND and an OR of mixed leaves (assertion shapes)', (t) => {
  const rule = '    a: {f: one}\n    b: {g: two}\n    c: {h: three}\n    condition: not (a and (b or c))\n';
  expectLines(t, rule, 'raw', ['one', 'two three', 'nothing'], ['one two', 'one three', 'three one']);
});
