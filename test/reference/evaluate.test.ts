/**
 * The reference evaluator against the README "Semantics" section, one rule of it per test, on hand-made events.
 * Trees are built from small rules so the test reads like the rule it checks.
 */
import test from 'ava';
import { loadRuleText } from '../../src/rule/load-rules';
import { compileRule } from '../../src/ir/compile-rule';
import { LineIndex } from '../../src/util/diagnostics';
import { evaluate, patternRegExp, prepareEvent, sigmaRegExp, type EventInput } from '../../src/reference/evaluate';
import type { IrNode } from '../../src/ir/types';

const HEAD = 'title: T\nlogsource: {product: windows}\ndetection:\n';

function irOf(detection: string): IrNode {
  const text = HEAD + detection;
  const doc = loadRuleText('r.yml', text).documents[0];
  if (!doc || doc.kind !== 'rule') throw new Error('rule did not load');
  const r = compileRule(doc, new LineIndex('r.yml', text));
  if (!r.ir) throw new Error(r.diagnostics.map((d) => d.code).join());
  return r.ir;
}

const json = (event: unknown): EventInput => ({ kind: 'json', event });
const text = (line: string): EventInput => ({ kind: 'text', line });
const sel = (body: string) => `    sel:\n${body}    condition: sel\n`;

function check(t: import('ava').ExecutionContext, detection: string, yes: EventInput[], no: EventInput[]) {
  const tree = irOf(detection);
  for (const e of yes) t.true(evaluate(tree, e), `should match ${JSON.stringify(e)}`);
  for (const e of no) t.false(evaluate(tree, e), `should not match ${JSON.stringify(e)}`);
}

test('fields are found by key name at any depth', (t) => {
  check(t, sel("        Image: 'cmd.exe'\n"), [json({ Image: 'cmd.exe' }), json({ Event: { EventData: { Image: 'cmd.exe' } } }), json({ a: [{ b: { Image: 'cmd.exe' } }] })], [json({ image: 'cmd.exe' }), json({ Event: { Image2: 'cmd.exe' } })]);
});

test('several values under one name: a test holds when it holds for any of them', (t) => {
  const e = json({ a: { User: 'alice' }, b: { User: 'SYSTEM' } });
  check(t, sel("        User: 'SYSTEM'\n"), [e], []);
  check(t, sel("        User: 'alice'\n"), [e], []);
  check(t, sel("        User: 'bob'\n"), [], [e]);
  // Objects inside an array are walked: their keys count.
  check(t, sel("        User: 'bob'\n"), [json({ list: [{ User: 'x' }, { User: 'bob' }] })], []);
});

// Known gap: a list of scalars under the field name (ECS `tags`, evtx_dump's unnamed `Data` elements) is one
// array value, which no string test matches; the grep JSON one-liner agrees (it expects `"Tag":"b"`), so a
// fix must change FieldIndex, the engine and the grep backend together. Passes while the gap exists.
test('a scalar inside an array under the field name counts as one of its values', (t) => {
  check(t, sel("        Tag: 'b'\n"), [json({ Tag: ['a', 'b'] })], [json({ Tag: ['a', 'c'] })]);
});

test('strings match the whole value, case-insensitively unless cased', (t) => {
  check(t, sel("        f: 'Cmd.exe'\n"), [json({ f: 'CMD.EXE' }), json({ f: 'cmd.exe' })], [json({ f: 'xcmd.exe' }), json({ f: 'cmd.exe ' })]);
  check(t, sel("        f|cased: 'Cmd.exe'\n"), [json({ f: 'Cmd.exe' })], [json({ f: 'cmd.exe' })]);
});

test('case folding is Unicode-aware (É/é)', (t) => {
  check(t, sel("        f: 'CAFÉ'\n"), [json({ f: 'café' })], [json({ f: 'cafe' })]);
});

test('* and ? are wildcards; * crosses newlines; escaped ones are literal', (t) => {
  check(t, sel("        f: 'a*c?e'\n"), [json({ f: 'abbbcde' }), json({ f: 'a\nb\ncXe' }), json({ f: 'acde' })], [json({ f: 'acdde' }), json({ f: 'ace' })]);
  check(t, sel("        f: 'a\\*b'\n"), [json({ f: 'a*b' })], [json({ f: 'axb' })]);
  check(t, sel("        f: 'a.b'\n"), [json({ f: 'a.b' })], [json({ f: 'axb' })]);
});

test('numbers and strings cross-match by their text', (t) => {
  check(t, sel('        EventID: 4688\n'), [json({ EventID: 4688 }), json({ EventID: '4688' })], [json({ EventID: 46880 }), json({ EventID: '04688' }), json({ EventID: ' 4688' })]);
  check(t, sel("        EventID: '4688'\n"), [json({ EventID: 4688 }), json({ EventID: '4688' })], [json({ EventID: 4689 })]);
  check(t, sel("        EventID|startswith: '46'\n"), [json({ EventID: 4688 })], [json({ EventID: 5688 })]);
});

test('booleans match JSON booleans and their text, case-insensitively', (t) => {
  check(t, sel('        f: true\n'), [json({ f: true }), json({ f: 'true' }), json({ f: 'True' })], [json({ f: false }), json({ f: 1 }), json({ f: 'yes' })]);
  check(t, sel("        f: 'false'\n"), [json({ f: false }), json({ f: 'FALSE' })], [json({ f: true })]);
});

test('null holds for an absent or null field, not for an empty string', (t) => {
  check(t, sel('        f: null\n'), [json({}), json({ f: null }), json({ a: { f: null }, b: { f: null } })], [json({ f: '' }), json({ f: 0 }), json({ a: { f: null }, b: { f: 'x' } })]);
});

test('exists holds when the name is present, null value included', (t) => {
  check(t, sel('        f|exists: true\n'), [json({ f: null }), json({ f: '' }), json({ a: { f: 1 } })], [json({ g: 1 }), json({ F: 1 })]);
  check(t, sel('        f|exists: false\n'), [json({ g: 1 })], [json({ f: null })]);
});

test("an empty string '' matches only an empty value", (t) => {
  check(t, sel("        f: ''\n"), [json({ f: '' })], [json({}), json({ f: null }), json({ f: ' ' })]);
});

test('keywords are contains matches against string values, never keys, nor numbers', (t) => {
  const kw = "    kw:\n        - 'mimi'\n    condition: kw\n";
  check(t, kw, [json({ msg: 'run MIMIkatz' }), json({ a: { b: ['x', 'mimi'] } })], [json({ mimi: 'x' }), json({ n: 1 })]);
  check(t, '    kw:\n        - 4688\n    condition: kw\n', [json({ msg: 'id 4688 seen' })], [json({ EventID: 4688 })]);
});

test('keywords on text events match the whole line; field tests never match a text event', (t) => {
  check(t, "    kw:\n        - 'error'\n    condition: kw\n", [text('an ERROR occurred')], [text('all fine')]);
  check(t, sel("        f: 'x'\n"), [], [text('f: x'), text('{"f":"x"}')]);
  check(t, sel('        f: null\n'), [], [text('anything')]);
});

test('not of a field test holds on a text event (it has no fields)', (t) => {
  check(t, "    sel:\n        f: 'x'\n    condition: not sel\n", [text('f=x')], []);
});

test('fieldref compares case-insensitively with any value of the other field', (t) => {
  check(t, sel('        a|fieldref: b\n'), [json({ a: 'X', b: 'x' }), json({ a: 'v', n: [{ b: 'w' }, { b: 'v' }] })], [json({ a: 'x' }), json({ a: 'x', b: 'y' }), json({ b: 'x' })]);
  check(t, sel('        a|fieldref|contains: b\n'), [json({ a: 'xFOOy', b: 'foo' })], [json({ a: 'xfoy', b: 'foo' })]);
  check(t, sel('        a|fieldref|startswith: b\n'), [json({ a: 'foobar', b: 'foo' })], [json({ a: 'barfoo', b: 'foo' })]);
  check(t, sel('        a|fieldref|endswith: b\n'), [json({ a: 'barfoo', b: 'foo' })], [json({ a: 'foobar', b: 'foo' })]);
  // A number field compares by its text.
  check(t, sel('        a|fieldref: b\n'), [json({ a: 5, b: '5' })], []);
});

test('cidr: the value is an address inside the network (IPv4 and IPv6)', (t) => {
  check(t, sel("        ip|cidr: '10.0.0.0/8'\n"), [json({ ip: '10.0.0.0' }), json({ ip: '10.255.255.255' })], [json({ ip: '11.0.0.0' }), json({ ip: 'x' }), json({ ip: 10 })]);
  check(t, sel("        ip|cidr: '2001:db8::/32'\n"), [json({ ip: '2001:db8::1' }), json({ ip: '2001:0DB8:ffff::' })], [json({ ip: '2001:db9::1' }), json({ ip: '10.0.0.1' })]);
});

test('comparisons parse the value as a number; an unparsable value never matches', (t) => {
  check(t, sel('        n|gt: 10\n'), [json({ n: 11 }), json({ n: '10.5' })], [json({ n: 10 }), json({ n: 'abc' }), json({ n: '' }), json({})]);
  check(t, sel('        n|lte: 10\n'), [json({ n: 10 }), json({ n: -3 })], [json({ n: 10.01 })]);
});

test('regular expressions search the value (unanchored), case-sensitive unless |i', (t) => {
  check(t, sel("        f|re: 'b+c'\n"), [json({ f: 'abbbcd' })], [json({ f: 'aBBCd' }), json({ f: 'ac' })]);
  check(t, sel("        f|re|i: 'b+c'\n"), [json({ f: 'aBBCd' })], []);
  check(t, sel("        f|re: '^abc$'\n"), [json({ f: 'abc' })], [json({ f: 'xabc' })]);
  check(t, sel("        f|re: '(?i)abc'\n"), [json({ f: 'ABC' })], []);
});

test('time parts are read in UTC, from ISO and space-separated timestamps', (t) => {
  check(t, sel('        ts|hour: 9\n'), [json({ ts: '2026-11-02T09:14:03Z' }), json({ ts: '2026-11-02 09:14:03' })], [json({ ts: '2026-11-02T10:14:03Z' }), json({ ts: 'not a date' })]);
  check(t, sel('        ts|hour|gt: 20\n'), [json({ ts: '2026-11-02T21:00:00Z' })], [json({ ts: '2026-11-02T20:59:59Z' })]);
  check(t, sel('        ts|week: 1\n'), [json({ ts: '2026-01-01T00:00:00Z' })], [json({ ts: '2026-01-05T00:00:00Z' })]);
});

test('neq: NOT of the item, so true on a missing field (spec note)', (t) => {
  check(t, sel("        f|neq: 'x'\n"), [json({ f: 'y' }), json({})], [json({ f: 'x' })]);
});

test('prepareEvent builds the index once; evaluate accepts either form', (t) => {
  const tree = irOf(sel("        f: 'x'\n"));
  const prepared = prepareEvent(json({ f: 'x' }));
  t.true(evaluate(tree, prepared));
  t.is(prepareEvent(text('x')).index, undefined);
});

test('sigma resolution: evaluate through a prepared event with Sigma names', (t) => {
  const tree = irOf(sel('        EventID: 4688\n'));
  const e = json({ winlog: { event_id: 4688 } });
  t.false(evaluate(tree, e));
  t.true(evaluate(tree, prepareEvent(e, 'sigma')));
});

test('patternRegExp is a whole-value match; sigmaRegExp takes leading inline flags', (t) => {
  t.true(patternRegExp(['a', { wildcard: '?' }, 'c'], false).test('AbC'));
  t.false(patternRegExp(['a', { wildcard: '?' }, 'c'], true).test('AbC'));
  t.false(patternRegExp(['a.c'], false).test('abc'));
  t.true(sigmaRegExp('(?i)abc', '')!.test('xABCx'));
  t.true(sigmaRegExp('a.c', 's')!.test('a\nc'));
  t.false(sigmaRegExp('a.c', '')!.test('a\nc'));
});
