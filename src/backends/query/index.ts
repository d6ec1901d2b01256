/**
 * Text-query backends, default (correct) dialect: the shared IR → Elasticsearch query_string (es-qs),
 * an Elasticsearch Watcher watch (xpack-watcher), Graylog, Splunk and LogPoint queries. One generic
 * converter (convert-tree.ts) walks the IR; each engine is a token table that says how it writes each
 * kind of leaf and escapes each context, or why it cannot (a problem naming the construct and the engine,
 * at the leaf's offset in the rule file). What an engine only approximates comes back as warnings.
 * Pure: no I/O. The legacy byte-identical sigmac dialect is backends/sigmac, not this.
 */
import type { IrNode } from '../../ir/types';
import { convertTree } from './convert-tree';
import { LOGPOINT_TABLE } from './logpoint-table';
import { luceneTable } from './lucene-table';
import { SPLUNK_TABLE } from './splunk-table';
import type { EngineTable, QueryOptions, QueryResult, QueryTarget } from './types';
import { watcherJson } from './watcher';

export { QUERY_TARGETS } from './types';
export type { QueryOptions, QueryProblem, QueryResult, QueryRuleInfo, QueryTarget } from './types';
export { watchId, WATCH_INTERVAL } from './watcher';

const ELASTICSEARCH = luceneTable('elasticsearch');
const GRAYLOG = luceneTable('graylog');

const TABLES: Readonly<Record<QueryTarget, EngineTable>> = {
  'es-qs': ELASTICSEARCH,
  'xpack-watcher': ELASTICSEARCH,
  graylog: GRAYLOG,
  splunk: SPLUNK_TABLE,
  logpoint: LOGPOINT_TABLE,
};

export function convertQuery(ir: IrNode, target: QueryTarget, options: QueryOptions): QueryResult {
  const result = convertTree(ir, TABLES[target]);
  if (!result.ok) return { ok: false, problems: result.problems };
  const output = target === 'xpack-watcher' ? watcherJson(result.text, options.rule) : result.text;
  return { ok: true, output, warnings: result.warnings };
}
