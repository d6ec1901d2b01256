/**
 * Unit tests of the default-dialect query backends, one per fix over legacy sigmac, per engine.
 * Lucene outputs are also parsed with lucene@2.1.1, and the parsed terms are compared with the values.
 */
import test from 'ava';
import { convertQuery, QUERY_TARGETS } from '../../../src/backends/query';
import { compileText, convert, luceneParser, luceneTerms, NO_LUCENE, output, quotingDefect, ruleText } from './helpers';

const lucene = luceneParser();

function parses(t: { log: (m: string) => void; notThrows: (f: () => unknown, m?: string) => void }, q: string) {
  if (!lucene) return t.log(NO_LUCENE);
  t.notThrows(() => lucene.parse(q), q);
}

/** Lucene's escape: `\x` is the literal x. */
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

// ---------- Elasticsearch query_string (es-qs) and Graylog ----------

test('es-qs fix: backslashes in a wildcard term are escaped (`Image:*\\\\powershell.exe`)', (t) => {
  const q = output(`  sel:\n    Image|endswith|cased: '\\powershell.exe'\n  condition: sel`, 'es-qs');
  t.is(q, 'Image:*\\\\powershell.exe');
  parses(t, q);
  if (lucene) t.is(unescape(luceneTerms(lucene.parse(q))[0]!.term), '*\\powershell.exe');
});

test('es-qs fix: every reserved character and the space are escaped in an unquoted term', (t) => {
  const value = `a+b-c=d&&e||f>g<h!i(j)k{l}m[n]o^p"q~r:s\\t/u v`;
  const q = output(`  sel:\n    F|startswith|cased: '${value.replace(/'/g, "''")}'\n  condition: sel`, 'es-qs');
  parses(t, q);
  if (lucene) {
    const [term] = luceneTerms(lucene.parse(q));
    t.is(term!.field, 'F');
    t.is(unescape(term!.term), `${value}*`);
  }
  t.true(q.includes('\\&\\&') && q.includes('\\|\\|') && q.includes('\\ v'), q);
});

test('es-qs fix: a literal * or ? in a cased value is escaped, a wildcard is not', (t) => {
  const q = output(`  sel:\n    F|cased: 'a\\*b?c'\n  condition: sel`, 'es-qs');
  t.is(q, 'F:a\\*b?c');
});

test('es-qs fix: an exact value is a quoted term with `"` and `\\` escaped', (t) => {
  const q = output(`  sel:\n    F|cased: 'C:\\dir\\"x"'\n  condition: sel`, 'es-qs');
  t.is(q, 'F:"C:\\\\dir\\\\\\"x\\""');
  parses(t, q);
});

test('es-qs fix: case-insensitive matching on keyword fields is a regex with both cases', (t) => {
  const q = output(`  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel`, 'es-qs');
  t.is(q, 'Image:/.*\\\\[Cc][Mm][Dd][.][Ee][Xx][Ee]/');
  parses(t, q);
  const re = new RegExp(`^${q.slice('Image:/'.length, -1).replace(/\\\\/g, '\\\\').replace(/\[\.\]/g, '\\.')}$`);
  t.true(re.test('C:\\Windows\\System32\\CMD.EXE'));
  t.false(re.test('C:\\Windows\\System32\\cmd.exe2'));
});

test('es-qs: a value without letters stays a plain term (no regex needed for case)', (t) => {
  t.is(output(`  sel:\n    DestinationIp|startswith: '10.'\n  condition: sel`, 'es-qs'), 'DestinationIp:10.*');
});

test('es-qs fix: numbers stay numbers, strings that look like numbers stay strings', (t) => {
  t.is(output(`  sel:\n    EventID: 3\n  condition: sel`, 'es-qs'), 'EventID:3');
  t.is(output(`  sel:\n    EventID: '3'\n  condition: sel`, 'es-qs'), 'EventID:"3"');
  t.is(output(`  sel:\n    Delta: -5\n  condition: sel`, 'es-qs'), 'Delta:\\-5');
});

test('es-qs fix: null is NOT _exists_, exists is _exists_', (t) => {
  t.is(output(`  sel:\n    F: null\n  condition: sel`, 'es-qs'), 'NOT _exists_:F');
  t.is(output(`  sel:\n    F|exists: true\n  condition: sel`, 'es-qs'), '_exists_:F');
  t.is(output(`  sel:\n    F|exists: false\n  condition: sel`, 'es-qs'), 'NOT _exists_:F');
});

test('es-qs fix: NOT inside OR is parenthesized (classic Lucene reads `a OR NOT b` as `a AND NOT b`)', (t) => {
  const q = output(`  a:\n    X: 1\n  b:\n    B: 2\n  condition: a or not b`, 'es-qs');
  t.is(q, 'X:1 OR (NOT B:2)');
  const n = output(`  a:\n    X: 1\n  b:\n    F: null\n  condition: a or b`, 'es-qs');
  t.is(n, 'X:1 OR (NOT _exists_:F)');
  parses(t, q);
});

test('es-qs: nested AND/OR are always parenthesized and values of one field grouped', (t) => {
  const q = output(`  a:\n    X:\n      - 1\n      - 2\n    B: 3\n  b:\n    Z: 4\n  condition: a or b`, 'es-qs');
  t.is(q, '(X:(1 OR 2) AND B:3) OR Z:4');
});

test('es-qs fix: cidr is a quoted network for ip fields; graylog expands it over octets', (t) => {
  t.is(output(`  sel:\n    Ip|cidr: '10.0.0.0/8'\n  condition: sel`, 'es-qs'), 'Ip:"10.0.0.0/8"');
  const g = output(`  sel:\n    Ip|cidr: '172.16.0.0/12'\n  condition: sel`, 'graylog');
  t.is(g, `Ip:(${Array.from({ length: 16 }, (_, k) => `172.${16 + k}.*`).join(' OR ')})`);
  parses(t, g);
  t.is(output(`  sel:\n    Ip|cidr: '10.1.2.3/32'\n  condition: sel`, 'graylog'), 'Ip:"10.1.2.3"');
});

test('graylog: an IPv6 cidr is refused with a message naming it and the engine', (t) => {
  const r = convert(`  sel:\n    Ip|cidr: 'fe80::/10'\n  condition: sel`, 'graylog');
  t.false(r.ok);
  if (!r.ok) t.regex(r.problems[0]!.message, /^Graylog cannot express the IPv6 network fe80::\/10/);
});

test('es-qs fix: comparisons use the range shorthand', (t) => {
  t.is(output(`  sel:\n    Size|gt: 10\n  condition: sel`, 'es-qs'), 'Size:>10');
  t.is(output(`  sel:\n    Size|lte: 5\n  condition: sel`, 'es-qs'), 'Size:<=5');
  parses(t, 'Size:>10 AND Size:<=5');
});

test('es-qs fix: re becomes an anchored Lucene regex (.* added on unanchored sides, ^ and $ dropped)', (t) => {
  t.is(output(`  sel:\n    F|re: 'ab+c'\n  condition: sel`, 'es-qs'), 'F:/.*ab+c.*/');
  t.is(output(`  sel:\n    F|re: '^ab$'\n  condition: sel`, 'es-qs'), 'F:/ab/');
  t.is(output(`  sel:\n    F|re: '^a|b$'\n  condition: sel`, 'es-qs'), 'F:/(a.*)|(.*b)/');
  t.is(output(`  sel:\n    F|re|i: 'ab'\n  condition: sel`, 'es-qs'), 'F:/.*[Aa][Bb].*/');
  t.is(output(`  sel:\n    F|re: '\\d{2,}\\w'\n  condition: sel`, 'es-qs'), 'F:/.*[0-9]{2,}[0-9A-Z_a-z].*/');
});

test('es-qs fix: Lucene regex reserved characters are escaped (# @ < > ~ & ")', (t) => {
  const q = output(`  sel:\n    F|re: 'a#b@c<d>e~f&g"h/i'\n  condition: sel`, 'es-qs');
  t.is(q, 'F:/.*a[#]b[@]c[<]d[>]e\\~f\\&g\\"h\\/i.*/');
  parses(t, q);
});

test('es-qs: regex constructs Lucene lacks are refused, naming the construct and the engine', (t) => {
  for (const [re, construct] of [
    ['a(?=b)', 'lookahead'],
    ['\\bword', '\\b'],
    ['(a)\\1', 'backreference'],
    ['a++', 'possessive'],
  ] as const) {
    const r = convert(`  sel:\n    F|re: '${re}'\n  condition: sel`, 'es-qs');
    t.false(r.ok, re);
    if (!r.ok) {
      t.true(r.problems[0]!.message.startsWith('Elasticsearch query_string cannot express the |re value'), r.problems[0]!.message);
      t.true(r.problems[0]!.message.includes(construct), r.problems[0]!.message);
    }
  }
});

test('es-qs: problems carry the offset of the value in the rule file', (t) => {
  const text = ruleText(`  sel:\n    A: 1\n    F|fieldref: Other\n  condition: sel`);
  const c = compileText(text);
  const r = convertQuery(c.ir, 'es-qs', { rule: { title: c.title } });
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.problems.length, 1);
    t.is(r.problems[0]!.offset, text.indexOf('Other'));
    t.regex(r.problems[0]!.message, /^Elasticsearch query_string cannot express the field reference F\|fieldref Other: .*painless/);
  }
});

test('es-qs and splunk: time parts are refused with a clear message', (t) => {
  for (const target of QUERY_TARGETS) {
    const r = convert(`  sel:\n    ts|hour: 3\n  condition: sel`, target);
    t.false(r.ok, target);
    if (!r.ok) t.true(r.problems[0]!.message.includes('time part ts|hour'), r.problems[0]!.message);
  }
});

test('es-qs fix: windash variants (expanded in the IR) are escaped, including the slash', (t) => {
  const q = output(`  sel:\n    CommandLine|windash|contains: '-enc'\n  condition: sel`, 'es-qs');
  t.true(q.startsWith('CommandLine:(/.*\\-[Ee][Nn][Cc].*/ OR /.*\\/[Ee][Nn][Cc].*/'), q);
  parses(t, q);
});

test('es-qs: a keyword is a phrase with a warning that says what is approximated', (t) => {
  const r = convert(`  keywords:\n    - 'error: disk full'\n  condition: keywords`, 'es-qs');
  t.true(r.ok);
  if (r.ok) {
    t.is(r.output, '"error: disk full"');
    t.regex(r.warnings[0]!.message, /full-text search.*not any substring/);
  }
});

test('es-qs: a value with a tab falls back to a regex and warns that Lucene cannot write it', (t) => {
  const r = convert(`  sel:\n    F|cased: "a\\tb"\n  condition: sel`, 'es-qs');
  t.true(r.ok);
  if (r.ok) {
    t.is(r.output, 'F:"a\tb"');
  }
  const w = convert(`  sel:\n    F|contains|cased: "a\\tb"\n  condition: sel`, 'es-qs');
  t.true(w.ok);
  if (w.ok) {
    t.is(w.output, 'F:/.*a.b.*/');
    t.true(w.warnings.some((x) => x.message.includes('control characters')));
  }
});

// ---------- xpack-watcher ----------

test('xpack-watcher: a valid watch JSON with the es query in bool.must[query_string]', (t) => {
  const c = compileText(ruleText(`  sel:\n    Image|endswith|cased: '\\a b.exe'\n  condition: sel`));
  const r = convertQuery(c.ir, 'xpack-watcher', { rule: { title: 'My {{rule}}', id: 'abc', level: 'high', tags: ['attack.t1'] } });
  t.true(r.ok);
  if (!r.ok) return;
  const watch = JSON.parse(r.output) as Record<string, any>;
  t.deepEqual(Object.keys(watch), ['metadata', 'trigger', 'input', 'condition', 'actions']);
  t.is(watch.input.search.request.body.query.bool.must[0].query_string.query, 'Image:*\\\\a\\ b.exe');
  t.deepEqual(watch.metadata, { title: 'My {{rule}}', id: 'abc', level: 'high', tags: ['attack.t1'] });
  t.truthy(watch.trigger.schedule.interval);
  t.deepEqual(watch.condition, { compare: { 'ctx.payload.hits.total': { gt: 0 } } });
  t.false(JSON.stringify(watch.actions).includes('{{rule}}'), 'the title is not a mustache template');
  parses(t, watch.input.search.request.body.query.bool.must[0].query_string.query);
});

// ---------- Splunk ----------

test('splunk fix: backslashes and quotes are escaped in quoted values', (t) => {
  t.is(output(`  sel:\n    Image|endswith: '\\powershell.exe'\n  condition: sel`, 'splunk'), 'Image="*\\\\powershell.exe"');
  t.is(output(`  sel:\n    F: 'say "hi"'\n  condition: sel`, 'splunk'), 'F="say \\"hi\\""');
});

test('splunk fix: a cased value moves to `| where` (search terms are case-insensitive)', (t) => {
  t.is(output(`  a:\n    X: 1\n    F|cased: 'Abc'\n  condition: a`, 'splunk'), 'X=1 | where F=="Abc"');
  t.is(output(`  a:\n    F|contains|cased: 'Abc'\n  condition: a`, 'splunk'), '* | where match(F, "Abc")');
});

test('splunk fix: `?` and a literal `*` cannot be written in a search, so they use match()', (t) => {
  t.is(output(`  a:\n    F: 'a?c'\n  condition: a`, 'splunk'), '* | where match(F, "(?is)^a.c\\\\z")');
  t.is(output(`  a:\n    F|contains: 'a\\*c'\n  condition: a`, 'splunk'), '* | where match(F, "(?i)a\\\\*c")');
});

test('splunk fix: null, exists, cidr, comparisons', (t) => {
  t.is(output(`  sel:\n    F: null\n  condition: sel`, 'splunk'), 'NOT F=*');
  t.is(output(`  sel:\n    F|exists: true\n  condition: sel`, 'splunk'), 'F=*');
  t.is(output(`  sel:\n    Ip|cidr: '10.0.0.0/8'\n  condition: sel`, 'splunk'), 'Ip="10.0.0.0/8"');
  t.is(output(`  sel:\n    Size|gte: 10\n  condition: sel`, 'splunk'), 'Size>=10');
});

test('splunk fix: re uses match() in where; under OR the whole query becomes a where', (t) => {
  t.is(output(`  a:\n    X: 1\n    F|re: 'a\\d+"'\n  condition: a`, 'splunk'), 'X=1 | where match(F, "a\\\\d+\\"")');
  const q = output(`  a:\n    X: 1\n  b:\n    F|re: 'ab'\n    Ip|cidr: '10.0.0.0/8'\n  condition: a or b`, 'splunk');
  t.is(q, '* | where X==1 OR (match(F, "ab") AND cidrmatch("10.0.0.0/8", Ip))');
});

test('splunk fix: fieldref compares two fields in where, case-insensitively', (t) => {
  t.is(output(`  a:\n    F|fieldref: G\n  condition: a`, 'splunk'), '* | where lower(F)==lower(G)');
  t.is(output(`  a:\n    F|fieldref|startswith: G\n  condition: a`, 'splunk'), '* | where substr(lower(F), 1, len(G))==lower(G)');
  const r = convert(`  a:\n    F|fieldref|contains: G\n  condition: a`, 'splunk');
  t.false(r.ok);
});

test('splunk: field names the search cannot hold are quoted in where', (t) => {
  const q = output(`  a:\n    'userAccountControl:1.2.840.113556.1.4.803:': 2\n  condition: a`, 'splunk');
  t.is(q, "* | where 'userAccountControl:1.2.840.113556.1.4.803:'==2");
  t.is(quotingDefect(q, true), undefined);
});

test('splunk: a keyword is a quoted search term with a warning', (t) => {
  const r = convert(`  keywords:\n    - 'Trojan*FOUND'\n  condition: keywords`, 'splunk');
  t.true(r.ok);
  if (r.ok) {
    t.is(r.output, '"Trojan*FOUND"');
    t.true(r.warnings.length > 0);
  }
});

// ---------- LogPoint ----------

test('logpoint fix: a backslash is written once (LogPoint strings have no escape character)', (t) => {
  t.is(output(`  sel:\n    Image|endswith: '\\powershell.exe'\n  condition: sel`, 'logpoint'), 'Image="*\\powershell.exe"');
});

test('logpoint fix: a value with a double quote is single-quoted', (t) => {
  t.is(output(`  sel:\n    F|contains: 'a"b'\n  condition: sel`, 'logpoint'), `F='*a"b*'`);
});

test('logpoint fix: re and cased values become process regex filters on the top-level AND', (t) => {
  t.is(output(`  a:\n    X: 1\n    F|re: 'a\\d'\n  condition: a`, 'logpoint'), 'X=1 | process regex("a\\d", F, "filter=true")');
  t.is(output(`  a:\n    F|cased: 'Ab'\n  condition: a`, 'logpoint'), '* | process regex("^Ab$", F, "filter=true")');
  const r = convert(`  a:\n    X: 1\n  b:\n    F|re: 'ab'\n  condition: a or b`, 'logpoint');
  t.false(r.ok);
  if (!r.ok) t.regex(r.problems[0]!.message, /^LogPoint cannot express .*top-level AND/);
});

test('logpoint fix: cidr is expanded over octets, null and exists, NOT is `-`', (t) => {
  t.is(output(`  sel:\n    Ip|cidr: '192.168.0.0/23'\n  condition: sel`, 'logpoint'), 'Ip IN ["192.168.0.*", "192.168.1.*"]');
  t.is(output(`  a:\n    X: 1\n  f:\n    F: null\n  condition: a and not f`, 'logpoint'), 'X=1 -F!=*');
  t.is(output(`  sel:\n    F|exists: true\n  condition: sel`, 'logpoint'), 'F=*');
});

test('logpoint: a literal * is written as is, with a warning that it also matches as a wildcard', (t) => {
  const r = convert(`  sel:\n    F|contains: 'a\\*b'\n  condition: sel`, 'logpoint');
  t.true(r.ok);
  if (r.ok) {
    t.is(r.output, 'F="*a*b*"');
    t.regex(r.warnings[0]!.message, /cannot escape/);
  }
});

test('logpoint: reserved words as field names are quoted', (t) => {
  t.is(output(`  sel:\n    process: x\n  condition: sel`, 'logpoint'), '"process"="x"');
});
