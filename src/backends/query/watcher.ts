/**
 * An Elasticsearch Watcher watch around an es-qs query, modelled on the rule page's xpack-watcher
 * output but valid as written (the page's `"to": null` email action is rejected by Watcher): a schedule,
 * a search of the last interval (a range on `@timestamp`, so each hit alerts once, not on every run),
 * a condition on the hit count, and a logging action that needs no mail account. The output is the JSON
 * body of `PUT _watcher/watch/<id>`.
 */
import type { QueryRuleInfo } from './types';

export const WATCH_INTERVAL = '30m';

export function watcherJson(query: string, rule: QueryRuleInfo): string {
  const metadata: Record<string, unknown> = { title: rule.title };
  if (rule.id !== undefined) metadata.id = rule.id;
  if (rule.description !== undefined) metadata.description = rule.description;
  if (rule.level !== undefined) metadata.level = rule.level;
  if (rule.tags !== undefined && rule.tags.length > 0) metadata.tags = rule.tags;
  const watch = {
    metadata,
    trigger: { schedule: { interval: WATCH_INTERVAL } },
    input: {
      search: {
        request: {
          indices: ['*'],
          rest_total_hits_as_int: true,
          body: {
            size: 10,
            query: {
              bool: {
                must: [{ query_string: { query, analyze_wildcard: false } }],
                filter: [{ range: { '@timestamp': { gte: `now-${WATCH_INTERVAL}` } } }],
              },
            },
          },
        },
      },
    },
    condition: { compare: { 'ctx.payload.hits.total': { gt: 0 } } },
    actions: {
      log_hits: {
        logging: {
          // Mustache would read `{{` in a title; the title is data, so it is kept out of the template.
          text: `Sigma rule '${rule.title.replace(/[{}]/g, '')}' matched {{ctx.payload.hits.total}} events`,
        },
      },
    },
  };
  return JSON.stringify(watch, null, 2);
}

/** A watch id from the rule: its id when it has one, else a slug of the title. */
export function watchId(rule: QueryRuleInfo): string {
  return rule.id ?? (rule.title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'sigma-rule');
}
