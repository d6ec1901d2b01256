/**
 * Each legacy sigmac grep bug (../shared/reference/sigmac-grep.md, B1–B15) that the default dialect fixes,
 * shown with real GNU `grep -P -i` on hand-written lines, in both field modes where the construct exists in both.
 */
import test from 'ava';
import { loadRuleText } from '../../../src/rule/load-rules';
import { compileRule } from '../../../src/ir/compile-rule';
import { LineIndex } from '../../../src/util/diagnostics';
import { HEAD, expectLines, oneLiner, patternOf, runCommand } from './helpers';
import { grepLineNumbers } from '../../support/grep';

const j = (o: unknown) => JSON.stringify(o);

const POWERSHELL = "    sel:\n        Image|endswith: '\\powershell.exe'\n        User: 'NT AUTHORITY\\SYSTEM'\n    condition: sel\n";

test('B1 (raw): backslashes are literal, not PCRE escapes (\\p, \\S, \\c)', (t) => {
  expectLines(
    t,
    POWERSHELL,
    'raw',
    ['EventID=3 Image=C:\\Windows\\powershell.exe User=NT AUTHORITY\\SYSTEM'],
    ['EventID=3 Image=C:\\Windows\\powershell.exe User=NT AUTHORITYXSYSTEM', 'Image=C:\\Windows\\powershellXexe User=NT AUTHORITY\\SYSTEM'],
  );
  expectLines(t, "    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n", 'raw', ['Image=C:\\Windows\\System32\\cmd.exe'], ['Image=C:\\Windows\\System32\\xcmd.exe']);
  expectLines(t, "    sel:\n        Image|contains: '\\Temp\\'\n    condition: sel\n", 'raw', ['C:\\Users\\x\\Temp\\a.exe'], ['C:\\Users\\x\\Temp.exe']);
});

test('B1 (json): a backslash matches the JSON-escaped \\\\ in the line', (t) => {
  expectLines(
    t,
    POWERSHELL,
    'json',
    [j({ Image: 'C:\\Windows\\powershell.exe', User: 'NT AUTHORITY\\SYSTEM' })],
    [j({ Image: 'C:\\Windows\\powershell.exe', User: 'NT AUTHORITYXSYSTEM' }), j({ Image: 'C:\\Windows\\powershell.exe', User: 'NT AUTHORITY\\\\SYSTEM' })],
  );
});

test('B2: ? is exactly one character, not a quantifier (both modes)', (t) => {
  const rule = "    sel:\n        CommandLine: '*te?t*'\n    condition: sel\n";
  expectLines(t, rule, 'raw', ['run test now', 'run text now'], ['run tet now', 'run tt now']);
  const cl = (v: string) => j({ CommandLine: v });
  expectLines(t, rule, 'json', [cl('run test now'), cl('run text now'), cl('run te"t now')], [cl('run tet now'), cl('run tt now')]);
});

test('B3: an escaped \\* is a literal star, not "zero or more dots" (both modes)', (t) => {
  const rule = "    sel:\n        CommandLine|contains: 'foo\\*bar'\n    condition: sel\n";
  expectLines(t, rule, 'raw', ['x foo*bar y'], ['foobar', 'foo...bar', 'foo.bar']);
  const cl = (v: string) => j({ CommandLine: v });
  expectLines(t, rule, 'json', [cl('x foo*bar y')], [cl('foobar'), cl('foo...bar')]);
});

const FILTERED = "    selection:\n        EventID: 3\n        Image|endswith: 'powershell.exe'\n    filter:\n        User: 'SYSTEM'\n    condition: selection and not filter\n";

test('B4: a nested not excludes (raw)', (t) => {
  expectLines(t, FILTERED, 'raw', ['EventID=3 Image=C:\\x\\powershell.exe User=alice'], ['EventID=3 Image=C:\\x\\powershell.exe User=SYSTEM']);
});

test('B4: a nested not excludes (json)', (t) => {
  expectLines(
    t,
    FILTERED,
    'json',
    [j({ EventID: 3, Image: 'C:\\x\\powershell.exe', User: 'alice' })],
    [j({ EventID: 3, Image: 'C:\\x\\powershell.exe', User: 'SYSTEM' }), j({ User: 'SYSTEM', EventID: 3, Image: 'C:\\x\\powershell.exe' })],
  );
});

test('B4: not of an OR of several filters excludes each of them (both modes)', (t) => {
  const rule = '    sel: {a: x}\n    f1: {b: one}\n    f2: {c: two}\n    condition: sel and not (f1 or f2)\n';
  expectLines(t, rule, 'raw', ['x three'], ['x one', 'x two']);
  expectLines(t, rule, 'json', [j({ a: 'x', b: 'three' })], [j({ a: 'x', b: 'one' }), j({ a: 'x', c: 'two' })]);
});

test('B5: a single-value rule is not anchored at the line start (both modes)', (t) => {
  expectLines(t, '    sel:\n        EventID: 4624\n    condition: sel\n', 'raw', ['EventID=4624 LogonType=3', '4624 at start'], ['EventID=4625']);
  expectLines(t, '    kw:\n        - error\n    condition: kw\n', 'raw', ['an error occurred', 'Error: disk full'], ['all fine']);
  expectLines(t, '    sel:\n        EventID: 4624\n    condition: sel\n', 'json', [j({ Time: 1, EventID: 4624 })], [j({ EventID: 4625 })]);
  expectLines(t, '    kw:\n        - error\n    condition: kw\n', 'json', [j({ msg: 'an error occurred' })], [j({ msg: 'all fine' })]);
});

test('B6/B7 (json): a value matches only in its own field and only as the whole value', (t) => {
  const rule = "    sel:\n        EventID: 1\n        Image: 'cmd.exe'\n    condition: sel\n";
  expectLines(
    t,
    rule,
    'json',
    [j({ EventID: 1, Image: 'cmd.exe' }), j({ Image: 'CMD.EXE', EventID: '1' })],
    [j({ EventID: 10, Image: 'notcmd.exe.bak' }), j({ EventID: 7, Image: 'cmd.exe', Pid: 1 }), j({ EventID: 1, Image: 'cmd.exe.bak' }), j({ EventID: 1, Other: 'cmd.exe' })],
  );
});

test('B6 (raw): a number does not match inside a longer number', (t) => {
  expectLines(t, '    sel:\n        EventID: 3\n    condition: sel\n', 'raw', ['EventID=3 x', 'port 3'], ['EventID=33', 'pid 1234', 'x13']);
});

test('B8: case-insensitive by default, and |cased is exact even under grep -i (both modes)', (t) => {
  expectLines(t, "    sel:\n        Image|endswith: 'powershell.exe'\n    condition: sel\n", 'raw', ['C:\\x\\PowerShell.EXE'], []);
  const cased = "    sel:\n        Image|contains|cased: 'PowerShell'\n    condition: sel\n";
  expectLines(t, cased, 'raw', ['C:\\x\\PowerShell.exe'], ['C:\\x\\powershell.exe', 'C:\\x\\POWERSHELL.exe']);
  expectLines(t, cased, 'json', [j({ Image: 'C:\\x\\PowerShell.exe' })], [j({ Image: 'C:\\x\\powershell.exe' })]);
});

test('B9: an aggregation is reported as unsupported, never silently dropped', (t) => {
  const text = `${HEAD}    selection: {EventID: 4625}\n    condition: selection | count() by TargetUserName > 5\n`;
  const doc = loadRuleText('r.yml', text).documents[0];
  if (!doc || doc.kind !== 'rule') return t.fail('rule did not load');
  const r = compileRule(doc, new LineIndex('r.yml', text));
  t.is(r.ir, undefined);
  t.true(r.diagnostics.some((d) => d.code === 'CONDITION_AGGREGATION_UNSUPPORTED' && d.severity === 'error'));
});

test('B10 (json): field: null holds for a missing or null field, and excludes under not', (t) => {
  const rule = "    sel:\n        Image|endswith: '.exe'\n        CommandLine: null\n    condition: sel\n";
  expectLines(t, rule, 'json', [j({ Image: 'a.exe' }), j({ Image: 'a.exe', CommandLine: null })], [j({ Image: 'a.exe', CommandLine: 'foo' }), j({ Image: 'a.exe', CommandLine: '' })]);
  const negated = "    sel:\n        Image|endswith: '.exe'\n    filter:\n        CommandLine: null\n    condition: sel and not filter\n";
  expectLines(t, negated, 'json', [j({ Image: 'a.exe', CommandLine: 'foo' })], [j({ Image: 'a.exe' }), j({ Image: 'a.exe', CommandLine: null })]);
});

test('B10 (raw): a null test is refused, with the reason and the value offset', (t) => {
  const r = oneLiner('    sel:\n        CommandLine: null\n    condition: sel\n', 'raw');
  t.false(r.ok);
  if (r.ok) return;
  t.regex(r.problems[0]!.message, /--fields json/);
  t.is(r.problems[0]!.offset, HEAD.length + '    sel:\n        CommandLine: '.length);
});

test("B11 (json): an empty value '' means the field is empty, not \"always true\"", (t) => {
  const rule = "    sel:\n        ParentImage: ''\n    condition: sel\n";
  expectLines(t, rule, 'json', [j({ ParentImage: '' })], [j({ ParentImage: 'x' }), j({ Image: '' }), j({})]);
});

test('B12: condition keywords are word-bounded (an identifier named original or notes)', (t) => {
  const rule = '    selection: {a: x}\n    original: {b: y}\n    notes: {c: z}\n    condition: selection and original and not notes\n';
  expectLines(t, rule, 'raw', ['x y'], ['x', 'x y z']);
  expectLines(t, rule, 'json', [j({ a: 'x', b: 'y' })], [j({ a: 'x' }), j({ a: 'x', b: 'y', c: 'z' })]);
});

test('B13: no catastrophic backtracking on long lines full of partial matches (both modes)', (t) => {
  const lines = [
    `EventID=3 Image=C:\\Windows\\System32\\svchost.exe ProcessId=1234 DestinationIp=10.1.2.3 ${'x3 '.repeat(400)}`,
    'x3 '.repeat(2000),
    'y'.repeat(20000),
    `${'powershell.exe '.repeat(500)}SYSTEM`,
  ];
  for (const fields of ['raw', 'json'] as const) {
    const pattern = patternOf(FILTERED, fields);
    const input = fields === 'raw' ? lines : lines.map((l) => j({ msg: l, EventID: 3, Image: l, User: 'SYSTEM' }));
    const run = grepLineNumbers(pattern, `${input.join('\n')}\n`);
    t.is(run.stderr, '', fields);
    t.is(run.status, 1, `${fields}: grep completes and selects nothing`);
  }
});

test('B14: |re, |cidr, |exists, |wide and condition lists are converted, not crashes', (t) => {
  expectLines(t, "    sel:\n        CommandLine|re: 'a[0-9]+b'\n    condition: sel\n", 'raw', ['x a123b y'], ['x ab y']);
  expectLines(t, "    sel:\n        CommandLine|re: 'a[0-9]+b'\n    condition: sel\n", 'json', [j({ CommandLine: 'x a123b y' })], [j({ CommandLine: 'x ab y' })]);
  expectLines(t, "    sel:\n        ip|cidr: '10.0.0.0/8'\n    condition: sel\n", 'raw', ['ip=10.1.2.3'], ['ip=11.1.2.3']);
  expectLines(t, '    sel:\n        f|exists: true\n    condition: sel\n', 'json', [j({ f: null })], [j({ g: 1 })]);
  expectLines(t, '    a: {f: one}\n    b: {g: two}\n    condition:\n        - a\n        - b\n', 'raw', ['one', 'two'], ['three']);
  // wide without base64: UTF-16LE bytes, which grep sees as characters separated by NULs.
  const wide = grepLineNumbers(patternOf('    sel:\n        f|wide|contains: cmd\n    condition: sel\n', 'raw'), Buffer.from('x c\0m\0d\0 y\nx cmd y\n', 'latin1'));
  t.deepEqual(wide.lines, [1]);
});

test("B15: a single quote in a value survives the shell (sh -c of the printed command)", (t) => {
  const r = oneLiner("    sel:\n        CommandLine|contains: \"it's\"\n    condition: sel\n", 'raw', 'command');
  if (!r.ok) return t.fail('not convertible');
  const run = runCommand(r.output, ["echo it's here", 'echo its here', "echo it''s"]);
  t.is(run.stderr, '');
  t.deepEqual(run.lines, [1]);
});

test('B15: a newline or NUL in a value is written as an escape, never raw in the command', (t) => {
  const r = oneLiner('    sel:\n        f|contains: "a\\nb\\0c"\n    condition: sel\n', 'raw', 'command');
  if (!r.ok) return t.fail('not convertible');
  t.false(r.output.includes('\n'));
  t.false(r.output.includes('\0'));
});
