/**
 * Validity of every output over the 2,279 conformance rules: es-qs and graylog parse as Lucene query
 * syntax (lucene@2.1.1), xpack-watcher is JSON with that query inside, splunk and logpoint have closed
 * quotes and balanced parentheses. Refusals must be problems with a message naming the engine. The
 * counts per target and the refusal reasons (values elided) are logged for the report.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { loadRuleText } from '../../../src/rule/load-rules';
import { compileRule } from '../../../src/ir/compile-rule';
import { LineIndex } from '../../../src/util/diagnostics';
import { convertQuery, QUERY_TARGETS, type QueryTarget } from '../../../src/backends/query';
import { luceneParser, NO_LUCENE, quotingDefect } from './helpers';

const RULES = path.resolve(__dirname, '../../../..', '../shared', 'conformance/sigmac/rules');
const ENGINE_NAME: Readonly<Record<QueryTarget, string>> = {
  'es-qs': 'Elasticsearch query_string',
  'xpack-watcher': 'Elasticsearch query_string',
  graylog: 'Graylog',
  splunk: 'Splunk',
  logpoint: 'LogPoint',
};

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...ruleFiles(p));
    else if (p.endsWith('.yml')) out.push(p);
  }
  return out.sort();
}

if (!fs.existsSync(RULES)) {
  test.skip('every query output over the conformance rules is valid (../shared is absent: skipped)', () => {});
} else {
  test('every query output over the conformance rules is valid for its engine', (t) => {
    const lucene = luceneParser();
    if (!lucene) t.log(NO_LUCENE);
    const counts = Object.fromEntries(QUERY_TARGETS.map((q) => [q, { converted: 0, refused: 0, withWarnings: 0 }])) as Record<QueryTarget, { converted: number; refused: number; withWarnings: number }>;
    const reasons = new Map<string, number>();
    const defects: string[] = [];
    let compiled = 0;
    for (const file of ruleFiles(RULES)) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(RULES, file);
      for (const doc of loadRuleText(rel, text).documents) {
        if (doc.kind !== 'rule') continue;
        const c = compileRule(doc, new LineIndex(rel, text));
        if (!c.ir) continue;
        compiled++;
        for (const target of QUERY_TARGETS) {
          const r = convertQuery(c.ir, target, { rule: { title: doc.title, ...(doc.id !== undefined ? { id: doc.id } : {}), tags: doc.tags } });
          if (!r.ok) {
            counts[target].refused++;
            for (const p of r.problems) {
              if (!p.message.startsWith(`${ENGINE_NAME[target]} cannot express `)) defects.push(`${target} ${rel}: unexpected message ${p.message}`);
              if (p.offset <= 0 || p.offset >= text.length) defects.push(`${target} ${rel}: problem offset ${p.offset} outside the file`);
              const key = `${target}: ${p.message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/network \S+/, 'network …')}`;
              reasons.set(key, (reasons.get(key) ?? 0) + 1);
            }
            continue;
          }
          counts[target].converted++;
          if (r.warnings.length > 0) counts[target].withWarnings++;
          let query = r.output;
          if (target === 'xpack-watcher') {
            try {
              const watch = JSON.parse(r.output) as { input: { search: { request: { body: { query: { bool: { must: { query_string: { query: string } }[] } } } } } } };
              query = watch.input.search.request.body.query.bool.must[0]!.query_string.query;
            } catch (e) {
              defects.push(`${target} ${rel}: not JSON with the query in bool.must[0].query_string: ${String(e)}`);
              continue;
            }
          }
          if (target === 'es-qs' || target === 'graylog' || target === 'xpack-watcher') {
            if (lucene) {
              try {
                lucene.parse(query);
              } catch (e) {
                defects.push(`${target} ${rel}: does not parse as Lucene: ${String(e)}\n  ${query}`);
              }
            }
          } else {
            const d = quotingDefect(query, target === 'splunk');
            if (d !== undefined) defects.push(`${target} ${rel}: ${d}\n  ${query}`);
          }
        }
      }
    }
    t.log(`rules compiled: ${compiled}`);
    for (const target of QUERY_TARGETS) t.log(`${target}: ${JSON.stringify(counts[target])}`);
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) t.log(`${n} × ${k}`);
    t.true(compiled > 2000, `only ${compiled} rules compiled`);
    t.deepEqual(defects.slice(0, 20), []);
    // Splunk's where stage can say everything the rules use; the Lucene engines refuse only a handful.
    t.is(counts.splunk.refused, 0);
    t.true(counts['es-qs'].refused < 10 && counts.graylog.refused < 10, JSON.stringify(counts));
  });
}
