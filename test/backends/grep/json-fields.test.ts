/**
 * `--fields json`: each construct run through real `grep -P -i` on JSON lines written the ways log writers
 * write them (compact, Python's `": "` spacing, nested, `\uXXXX` and `\/` escapes, numbers bare or quoted).
 */
import test from 'ava';
import { HEAD, expectLines, oneLiner } from './helpers';

const j = (o: unknown) => JSON.stringify(o);
/** Python's json.dumps spacing: `{"a": 1, "b": "x"}`. */
const py = (o: Record<string, unknown>) => `{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;

test('Python-style ": " spacing and compact JSON both match', (t) => {
  const rule = "    sel:\n        Image|endswith: '\\cmd.exe'\n        EventID: 1\n    condition: sel\n";
  expectLines(t, rule, 'json', [py({ EventID: 1, Image: 'C:\\w\\cmd.exe' }), j({ EventID: 1, Image: 'C:\\w\\cmd.exe' }), '{ "EventID" :1 , "Image" :\t"C:\\\\cmd.exe" }'], [py({ EventID: 1, Image: 'C:\\w\\xcmd.exe' })]);
});

test('a key is found at any depth', (t) => {
  const rule = "    sel:\n        Image: 'cmd.exe'\n    condition: sel\n";
  expectLines(t, rule, 'json', [j({ Event: { EventData: { Image: 'cmd.exe' } } }), j({ a: [{ b: { Image: 'cmd.exe' } }] })], [j({ Event: { EventData: { Image: 'cmd.exe.bak' } } })]);
});

test('keys are case-sensitive even under grep -i', (t) => {
  expectLines(t, "    sel:\n        Image: 'cmd.exe'\n    condition: sel\n", 'json', [j({ Image: 'CMD.exe' })], [j({ image: 'cmd.exe' }), j({ IMAGE: 'cmd.exe' })]);
});

test('a key name inside a string value is not a key', (t) => {
  expectLines(t, "    sel:\n        Image: 'cmd.exe'\n    condition: sel\n", 'json', [], [j({ msg: 'Image: cmd.exe' }), j({ msg: '"Image":"cmd.exe"' })]);
});

test('non-ASCII matches raw UTF-8 and \\u00e9-escaped text', (t) => {
  const rule = "    sel:\n        f: 'café'\n    condition: sel\n";
  expectLines(t, rule, 'json', ['{"f":"café"}', '{"f":"caf\\u00e9"}', '{"f":"CAFÉ"}', '{"f":"caf\\u00E9"}'], ['{"f":"cafe"}', '{"f":"caf\\u00e8"}']);
});

test('an astral character matches raw and as a \\ud83d\\ude00 surrogate pair', (t) => {
  expectLines(t, "    sel:\n        f|contains: '😀'\n    condition: sel\n", 'json', ['{"f":"a😀b"}', '{"f":"a\\ud83d\\ude00b"}'], ['{"f":"a\\ud83db"}']);
});

test('a slash matches / and the escaped \\/', (t) => {
  expectLines(t, "    sel:\n        f: 'a/b'\n    condition: sel\n", 'json', ['{"f":"a/b"}', '{"f":"a\\/b"}'], ['{"f":"a\\\\b"}', '{"f":"ab"}']);
});

test('a double quote in a value matches the escaped \\" and \\u0022', (t) => {
  expectLines(t, `    sel:\n        f: 'say "hi"'\n    condition: sel\n`, 'json', [j({ f: 'say "hi"' }), '{"f":"say \\u0022hi\\u0022"}'], [j({ f: 'say hi' })]);
});

test('numbers match bare or quoted, never inside a longer number', (t) => {
  const rule = '    sel:\n        EventID: 4688\n    condition: sel\n';
  expectLines(t, rule, 'json', ['{"EventID":4688}', '{"EventID":"4688"}', '{"EventID": 4688, "x": 1}'], ['{"EventID":46880}', '{"EventID":"46880"}', '{"EventID":14688}', '{"EventID":4688.5}', '{"EventID":"4688 "}']);
});

test("a quoted number in the rule ('4688') matches the bare number too", (t) => {
  expectLines(t, "    sel:\n        EventID: '4688'\n    condition: sel\n", 'json', ['{"EventID":4688}', '{"EventID":"4688"}'], ['{"EventID":46880}']);
});

test('booleans match bare or quoted, case-insensitively', (t) => {
  expectLines(t, '    sel:\n        f: false\n    condition: sel\n', 'json', ['{"f":false}', '{"f":"false"}', '{"f":"False"}'], ['{"f":true}', '{"f":"falsehood"}', '{"f":0}']);
});

test('exists: true holds for any value, null and empty included; exists: false for an absent key', (t) => {
  expectLines(t, '    sel:\n        f|exists: true\n    condition: sel\n', 'json', ['{"f":null}', '{"f":""}', '{"a":{"f":1}}'], ['{"g":1}', '{"ff":1}', '{"x":"f"}']);
  expectLines(t, '    sel:\n        f|exists: false\n    condition: sel\n', 'json', ['{"g":1}', '{"x":"f"}'], ['{"f":null}', '{"f":"x"}']);
});

test('null holds when no occurrence of the key has a non-null value', (t) => {
  expectLines(t, '    sel:\n        f: null\n    condition: sel\n', 'json', ['{"f":null}', '{"g":1}', '{"a":{"f":null},"b":{"f":null}}'], ['{"f":"x"}', '{"f":0}', '{"a":{"f":null},"b":{"f":"x"}}', '{"f":"null"}']);
});

test('cidr IPv4: first and last address match, the neighbours outside do not', (t) => {
  const ip = (v: string) => j({ ip: v });
  expectLines(t, "    sel:\n        ip|cidr: '10.0.0.0/8'\n    condition: sel\n", 'json', [ip('10.0.0.0'), ip('10.255.255.255'), ip('10.1.2.3')], [ip('9.255.255.255'), ip('11.0.0.0'), ip('110.0.0.1'), ip('10.1.2.3:443'), ip('10.1.2.3.4')]);
  expectLines(t, "    sel:\n        ip|cidr: '172.16.0.0/12'\n    condition: sel\n", 'json', [ip('172.16.0.0'), ip('172.31.255.255')], [ip('172.15.255.255'), ip('172.32.0.0')]);
  expectLines(t, "    sel:\n        ip|cidr: '192.168.1.128/25'\n    condition: sel\n", 'json', [ip('192.168.1.128'), ip('192.168.1.255')], [ip('192.168.1.127'), ip('192.168.2.128')]);
  expectLines(t, "    sel:\n        ip|cidr: '1.2.3.4/32'\n    condition: sel\n", 'json', [ip('1.2.3.4')], [ip('1.2.3.5'), ip('1.2.3.40')]);
});

test('fieldref equals, in either key order, case-insensitively', (t) => {
  const rule = '    sel:\n        a|fieldref: b\n    condition: sel\n';
  expectLines(t, rule, 'json', ['{"a":"X1","b":"x1"}', '{"b":"x1","a":"X1"}', '{"a":"v","n":{"b":"v"}}'], ['{"a":"x1","b":"x2"}', '{"b":"x1","a":"x12"}', '{"a":"x1"}', '{"a":"x1","c":"x1"}']);
});

test('fieldref startswith / endswith / contains, in either key order', (t) => {
  const starts = '    sel:\n        a|fieldref|startswith: b\n    condition: sel\n';
  expectLines(t, starts, 'json', ['{"a":"foobar","b":"foo"}', '{"b":"foo","a":"foobar"}'], ['{"a":"barfoo","b":"foo"}', '{"b":"foo","a":"barfoo"}']);
  const ends = '    sel:\n        a|fieldref|endswith: b\n    condition: sel\n';
  expectLines(t, ends, 'json', ['{"a":"barfoo","b":"foo"}', '{"b":"foo","a":"barfoo"}'], ['{"a":"foobar","b":"foo"}', '{"b":"foo","a":"foobar"}']);
  const contains = '    sel:\n        a|fieldref|contains: b\n    condition: sel\n';
  expectLines(t, contains, 'json', ['{"a":"xfooy","b":"foo"}', '{"b":"foo","a":"xfooy"}'], ['{"a":"xfoy","b":"foo"}', '{"b":"foo","a":"fo"}']);
});

test('keywords match inside string values, never inside a key', (t) => {
  const rule = '    kw:\n        - Image\n    condition: kw\n';
  expectLines(t, rule, 'json', ['{"msg":"my Image here"}', '{"Image":"x","m":"image"}'], ['{"Image":"x"}', '{"a":{"Image":"x"}}', '{"n":1}']);
});

test('keywords with wildcards stay inside one value', (t) => {
  const rule = "    kw:\n        - 'foo*bar'\n    condition: kw\n";
  expectLines(t, rule, 'json', ['{"m":"a foo x bar b"}'], ['{"m":"foo","n":"bar"}']);
});

test('re in JSON is matched against the decoded value', (t) => {
  expectLines(t, "    sel:\n        f|re: '^C:\\\\Windows\\\\'\n    condition: sel\n", 'json', [j({ f: 'C:\\Windows\\x' })], [j({ f: 'D:\\Windows\\x' }), j({ f: 'xC:\\Windows\\' })]);
});

test('refusals in JSON mode: IPv6 cidr, comparisons, time parts, each at its value', (t) => {
  const cases: [string, RegExp][] = [
    ["    sel:\n        ip|cidr: '2001:db8::/32'\n    condition: sel\n", /IPv6/],
    ['    sel:\n        n|gt: 5\n    condition: sel\n', /comparison/],
    ['    sel:\n        ts|hour: 3\n    condition: sel\n', /timestamp/],
  ];
  for (const [rule, reason] of cases) {
    const r = oneLiner(rule, 'json');
    t.false(r.ok, rule);
    if (r.ok) continue;
    t.is(r.problems.length, 1);
    t.regex(r.problems[0]!.message, reason);
    // The value is on line 5 after `        <key>: `.
    const valueOffset = (HEAD + rule).indexOf(': ', HEAD.length + 10) + 2;
    t.is(r.problems[0]!.offset, valueOffset, rule);
  }
});

// Escaped forms other writers produce: each line below is matched by the reference evaluator (it decodes
// the JSON), so the one-liner must match it too.

test('ASCII written as \\u escapes by .NET (\\u0027) and Go (\\u003c) writers matches', (t) => {
  expectLines(t, '    sel:\n        f|contains: "it\'s"\n    condition: sel\n', 'json', ['{"f":"it\\u0027s"}'], []);
  expectLines(t, "    sel:\n        f|contains: '<a>'\n    condition: sel\n", 'json', ['{"f":"x\\u003ca\\u003e"}'], []);
});

test('a case-insensitive non-ASCII value matches the \\u escape of its other case (CAFÉ vs caf\\u00e9)', (t) => {
  expectLines(t, "    sel:\n        f: 'CAFÉ'\n    condition: sel\n", 'json', ['{"f":"caf\\u00e9"}'], []);
});

test('a cased non-ASCII value matches an upper-case hex escape (café vs caf\\u00E9)', (t) => {
  expectLines(t, "    sel:\n        f|cased: 'café'\n    condition: sel\n", 'json', ['{"f":"caf\\u00E9"}'], []);
});

test('a scalar element of an array under the field matches; an element of another key does not', (t) => {
  expectLines(t, "    sel:\n        Tag: 'b'\n    condition: sel\n", 'json', ['{"Tag":["a","b"]}', '{"Tag": [ 1, "b" ]}', '{"Tag":"b"}'], ['{"Tag":["a","c"]}', '{"Other":["b"],"Tag":["a"]}']);
  expectLines(t, '    sel:\n        EventID: 4\n    condition: sel\n', 'json', ['{"EventID":[3,4]}'], ['{"EventID":[3,44]}']);
});
