/**
 * The rule page's rule (PowerShell Network Connections) through every query target: the output is
 * printed (t.log) and its structure asserted — escaped backslashes, the NOT filter, the value groups —
 * rather than compared with a golden string made by this code.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { convertQuery, QUERY_TARGETS } from '../../../src/backends/query';
import { compileText, luceneParser, luceneTerms, NO_LUCENE, quotingDefect } from './helpers';

const RULE = path.resolve(__dirname, '../../../..', 'rules/windows/sysmon/powershell_network_connections.yml');
const text = fs.readFileSync(RULE, 'utf8');
const compiled = compileText(text, 'powershell_network_connections.yml');
const rule = { title: compiled.title };
const out = (target: (typeof QUERY_TARGETS)[number]): string => {
  const r = convertQuery(compiled.ir, target, { rule });
  if (!r.ok) throw new Error(`${target}: ${JSON.stringify(r.problems)}`);
  return r.output;
};

test('PowerShell Network Connections converts for every target', (t) => {
  for (const target of QUERY_TARGETS) {
    const r = convertQuery(compiled.ir, target, { rule });
    t.true(r.ok, target);
    if (r.ok) t.log(`${target}:\n${r.output}`);
    if (r.ok) t.deepEqual(r.warnings, [], `${target} approximates nothing in this rule`);
  }
});

test('PowerShell Network Connections, es-qs: parses, escapes the backslash, keeps the NOT filter', (t) => {
  const q = out('es-qs');
  t.regex(q, /^EventID:3 AND Image:\/\.\*\\\\\[Pp\]\[Oo\]\[Ww\]/, 'the path separator is an escaped backslash `\\\\`');
  t.regex(q, / AND NOT \(DestinationIp:\(10\.\* OR 192\.168\.\* OR 172\.\* OR "127\.0\.0\.1"\) AND /);
  t.true(q.includes('User:/[Nn][Tt] [Aa][Uu][Tt][Hh][Oo][Rr][Ii][Tt][Yy]\\\\[Ss]'), q);
  const lucene = luceneParser();
  if (!lucene) return t.log(NO_LUCENE);
  const terms = luceneTerms(lucene.parse(q));
  t.deepEqual(
    terms.map((x) => x.field),
    ['EventID', 'Image', 'DestinationIp', 'DestinationIp', 'DestinationIp', 'DestinationIp', 'DestinationIsIpv6', 'User'],
  );
  const image = terms.find((x) => x.field === 'Image')!;
  t.true(image.regex);
  // The regex (after Lucene's own escapes) accepts the real path in any case and rejects a near miss.
  const re = new RegExp(`^${image.term.replace(/\[\.\]/g, '\\.')}$`);
  t.true(re.test('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE'));
  t.false(re.test('C:\\tools\\notpowershell.exe.bak'));
});

test('PowerShell Network Connections, xpack-watcher: JSON whose query is the es-qs query', (t) => {
  const watch = JSON.parse(out('xpack-watcher')) as { input: { search: { request: { body: { query: { bool: { must: { query_string: { query: string } }[] } } } } } } };
  t.is(watch.input.search.request.body.query.bool.must[0]!.query_string.query, out('es-qs'));
});

test('PowerShell Network Connections, graylog: the same Lucene query as es-qs (no cidr, no keyword here)', (t) => {
  t.is(out('graylog'), out('es-qs'));
});

test('PowerShell Network Connections, splunk: doubled backslashes, IN group, NOT filter, balanced', (t) => {
  const q = out('splunk');
  t.true(q.startsWith('EventID=3 Image="*\\\\powershell.exe" NOT ('), q);
  t.true(q.includes('DestinationIp IN ("10.*", "192.168.*", "172.*", "127.0.0.1")'), q);
  t.true(q.includes('User="NT AUTHORITY\\\\SYSTEM"'), q);
  t.false(q.includes('| where'), 'everything fits the case-insensitive search');
  t.is(quotingDefect(q, true), undefined);
});

test('PowerShell Network Connections, logpoint: single backslashes, `-(...)` filter, IN list, balanced', (t) => {
  const q = out('logpoint');
  t.true(q.startsWith('EventID=3 Image="*\\powershell.exe" -('), q);
  t.true(q.includes('DestinationIp IN ["10.*", "192.168.*", "172.*", "127.0.0.1"]'), q);
  t.true(q.includes('User="NT AUTHORITY\\SYSTEM"'), q);
  t.is(quotingDefect(q, false), undefined);
});
