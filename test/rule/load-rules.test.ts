import test from 'ava';
import { loadRuleText } from '../../src/rule/load-rules';
import { formatDiagnostic } from '../../src/util/diagnostics';

const GOOD = `title: Good
logsource: {product: windows}
detection:
    sel: {Image: x}
    condition: sel
`;

test('a rule loads with its metadata', (t) => {
  const r = loadRuleText('good.yml', `${GOOD}level: high\ntags: [attack.t1059]\nid: abc\n`);
  t.deepEqual(r.diagnostics, []);
  const doc = r.documents[0]!;
  t.is(doc.kind, 'rule');
  if (doc.kind !== 'rule') return;
  t.is(doc.title, 'Good');
  t.is(doc.level, 'high');
  t.is(doc.id, 'abc');
  t.deepEqual(doc.tags, ['attack.t1059']);
  t.deepEqual(doc.logsource, { product: 'windows' });
});

test('a missing key is reported at file:line:col and the next document still loads', (t) => {
  const text = `title: Bad\nlogsource: {product: windows}\n---\n${GOOD}`;
  const r = loadRuleText('multi.yml', text);
  t.is(r.documents.length, 1);
  t.is(r.documents[0]!.title, 'Good');
  const d = r.diagnostics.find((x) => x.code === 'RULE_MISSING_KEY');
  t.truthy(d);
  t.is(d!.position!.file, 'multi.yml');
  t.is(d!.position!.line, 1);
  t.is(d!.position!.column, 1);
});

test('wrong types are reported where the value is', (t) => {
  const r = loadRuleText('t.yml', 'title: [x]\nlogsource: nope\ndetection: {condition: a}\n');
  const codes = r.diagnostics.map((d) => `${d.code}@${d.position?.line}:${d.position?.column}`);
  t.true(codes.includes('RULE_FIELD_TYPE@1:8'));
  t.true(codes.includes('RULE_FIELD_TYPE@2:12'));
});

test('YAML syntax errors carry a position and do not throw', (t) => {
  const r = loadRuleText('broken.yml', 'title: x\n  bad: : indentation\n');
  t.true(r.diagnostics.length > 0);
  t.is(r.diagnostics[0]!.code, 'YAML_SYNTAX');
  t.truthy(r.diagnostics[0]!.position);
});

test('formatted diagnostics show the line and a caret under the column', (t) => {
  const text = 'title: [x]\nlogsource: {}\ndetection: {sel: {a: 1}, condition: sel}\n';
  const r = loadRuleText('f.yml', text);
  const out = formatDiagnostic(r.diagnostics[0]!, () => text);
  t.regex(out, /^f\.yml:1:8: error\[RULE_FIELD_TYPE\]/);
  t.true(out.includes(' 1 | title: [x]'));
  t.true(out.endsWith('|        ^'));
});

test('action: global merges into the following documents; reset stops it', (t) => {
  const text = `action: global
title: Shared
logsource: {product: windows}
detection:
    condition: sel
---
detection:
    sel: {a: 1}
---
action: reset
---
title: Alone
logsource: {product: linux}
detection: {sel: {b: 2}, condition: sel}
`;
  const r = loadRuleText('g.yml', text);
  t.deepEqual(r.diagnostics, []);
  t.is(r.documents.length, 2);
  t.is(r.documents[0]!.title, 'Shared');
  t.is(r.documents[1]!.title, 'Alone');
});

test('an unknown action is an error', (t) => {
  const r = loadRuleText('a.yml', `action: frobnicate\n---\n${GOOD}`);
  t.true(r.diagnostics.some((d) => d.code === 'RULE_ACTION'));
  t.is(r.documents.length, 1);
});

test('YAML 1.1 scalars read as PyYAML reads them', (t) => {
  const r = loadRuleText('y.yml', `title: t\nlogsource: {product: x}\ndetection:\n    sel: {f: yes, g: '0x10'}\n    condition: sel\n`);
  const doc = r.documents[0]!;
  if (doc.kind !== 'rule') return t.fail();
  const sel = doc.detection.entries[0]!.value;
  if (sel.kind !== 'map') return t.fail();
  t.deepEqual(sel.entries.map((e) => (e.value.kind === 'scalar' ? e.value.value : undefined)), [true, '0x10']);
});

test('plain keys are names as written, and y/n stay strings as in PyYAML', (t) => {
  const r = loadRuleText('k.yml', `title: t\nlogsource: {product: x}\ndetection:\n    sel: {Y: 2, on: n, 'yes': 1}\n    condition: sel\n`);
  const doc = r.documents[0]!;
  if (doc.kind !== 'rule') return t.fail();
  const sel = doc.detection.entries[0]!.value;
  if (sel.kind !== 'map') return t.fail();
  t.deepEqual(sel.entries.map((e) => e.key), ['Y', 'on', 'yes']);
  t.deepEqual(sel.entries.map((e) => (e.value.kind === 'scalar' ? e.value.value : undefined)), [2, 'n', 1]);
});
