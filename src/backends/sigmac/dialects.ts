/**
 * The five emulated sigmac backends as dialects of the one renderer: token tables, value escapers and
 * the hooks each Python class really overrides. Escapers reproduce sigmac's regexes, gaps included
 * (grep leaves `\` and `?` unescaped: B1, B2; see shared/reference/sigmac-grep.md).
 */
import { fmt, pyStr, sub, or, type LNode, type ListValue } from './legacy-tree';
import { NOT_IMPLEMENTED, type Dialect, type Renderer, type TextTokens } from './render-core';
import { notImplemented } from './sigmac-error';
import type { Aggregation } from './parse-rule';

const escapeWith = (re: RegExp) => (s: string) => s.replace(re, '\\$1');

const NO_TOKENS: TextTokens = {
  andToken: '',
  orToken: '',
  notToken: '',
  subExpression: '',
  listExpression: '',
  listSeparator: '',
  valueExpression: '%s',
  nullExpression: '',
  notNullExpression: '',
  mapExpression: '',
  mapListsSpecialHandling: false,
  mapListValueExpression: '',
  typedValueExpression: {},
};

// ---- grep (GrepBackend: BaseBackend + QuoteCharMixin, every node type overridden) ----

const grepEscape = escapeWith(/([|()[\]{}.^$+])/g);

const grepOr = (r: Renderer, items: readonly LNode[]) => `(?:${items.map((v) => '.*' + fmt('%s', r.node(v))).join('|')})`;

export const GREP: Dialect = {
  tokens: NO_TOKENS,
  cleanValue: (v) => grepEscape(v).replace(/'/g, `'"'"'`).replace(/\*/g, '.*'),
  hooks: {
    query: (r, parsed) => fmt("grep -P -i '^%s'", r.node(parsed.search)),
    and: (r, n) => n.items.map((v) => fmt('(?=.*%s)', r.node(v))).join(''),
    or: (r, n) => grepOr(r, n.items),
    not: (r, n) => fmt('(?!.*%s)', r.node(n.items[0] ?? null)),
    sub: (r, n) => fmt('(?:.*%s)', r.node(n.inner)),
    list: (r, n) => {
      r.checkListValues(n);
      return grepOr(r, n.items);
    },
    mapItem: (r, n) => (n.value.kind === 'none' ? `(?!${n.field})` : r.node(n.value)),
    value: (r, n) => r.dialect.cleanValue(pyStr(n)),
    typed: () => {
      throw notImplemented(NOT_IMPLEMENTED);
    },
    nullValue: () => {
      // GrepBackend unpacks the node as a (key, value) tuple, which a NULL node is not
      throw notImplemented(NOT_IMPLEMENTED);
    },
    notNullValue: () => {
      throw notImplemented(NOT_IMPLEMENTED);
    },
  },
};

// ---- es-qs (ElasticsearchQuerystringBackend) and graylog (its subclass) ----

const ES_ESCAPE = /([\s+\-=!(){}[\]^"~:/]|(?<!\\)\\(?![*?\\])|\\u|&&|\|\|)/g;
const GRAYLOG_ESCAPE = /([\s+\-!(){}[\]^"~:/]|(?<!\\)\\(?![*?\\])|\\u|&&|\|\|)/g;
const CONTAINS_WILDCARD = /(?:(?<!\\)|\\\\)[*?]/;

const containsWildcard = (v: LNode) => v.kind === 'str' && CONTAINS_WILDCARD.test(v.value);

function luceneRegex(re: string): string {
  const start = re.startsWith('^');
  const end = re.endsWith('$');
  if (start && end) return re.slice(1, -1);
  if (start) return re.slice(1) + '.*';
  if (end) return '.*' + re.slice(0, -1);
  return re;
}

function elasticsearch(listSeparator: string, escape: RegExp): Dialect {
  return {
    tokens: {
      andToken: ' AND ',
      orToken: ' OR ',
      notToken: 'NOT ',
      subExpression: '(%s)',
      listExpression: '(%s)',
      listSeparator,
      valueExpression: '%s',
      nullExpression: 'NOT _exists_:%s',
      notNullExpression: '_exists_:%s',
      mapExpression: '%s:%s',
      mapListsSpecialHandling: false,
      mapListValueExpression: '',
      typedValueExpression: { re: '/%s/' },
    },
    cleanValue: escapeWith(escape),
    hooks: {
      // The wildcard decision is made on the raw value and left on the backend for the value renderer.
      fieldNameMapping: (r, field, value) => {
        const wildcard = value.kind === 'list' ? value.items.some(containsWildcard) : containsWildcard(value);
        r.state.matchKeyword = wildcard || value.kind === 'typed';
        return r.state.matchKeyword ? `${field}.keyword` : field;
      },
      value: (r, n) => {
        const result = r.baseValue(n) ?? '';
        if (result === '' || /^\s+$/.test(result)) return '""';
        return r.state.matchKeyword ? result : `"${result}"`;
      },
      // Lucene regexes are anchored: sigmac turns `^`/`$` into the absence of a `.*` on that side
      typed: (_r, n) => `/${luceneRegex(n.value)}/`,
      not: (r, n) => {
        const e = r.node(n.items[0] ?? null);
        return e ? `(NOT ${e})` : null;
      },
      // A bare keyword list is searched as substrings of all keyword fields.
      sub: (r, n) => {
        const inner = n.inner;
        if ((inner.kind === 'and' || inner.kind === 'or') && inner.items.every((i) => i.kind === 'str' || i.kind === 'int')) {
          const items = inner.items.map((i) => {
            if (i.kind !== 'str') return i;
            let s = i.value;
            if (!s.startsWith('*')) s = '*' + s;
            if (!s.endsWith('*')) s += '*';
            return { kind: 'str' as const, value: s };
          });
          r.state.matchKeyword = true;
          const result = '\\*.keyword:' + fmt('%s', r.baseSub(sub(inner.kind === 'and' ? { kind: 'and', items } : or(items))));
          r.state.matchKeyword = false;
          return result;
        }
        return r.baseSub(n);
      },
    },
  };
}

export const ES_QS: Dialect = elasticsearch(' OR ', ES_ESCAPE);
// graylog: lists are space separated and `=` is not escaped
export const GRAYLOG: Dialect = elasticsearch(' ', GRAYLOG_ESCAPE);

// ---- splunk and logpoint (SingleTextQueryBackend with special list handling) ----

const SPLUNK_ESCAPE = escapeWith(/("|(?<!\\)\\(?![*?\\]))/g);

export const SPLUNK: Dialect = {
  tokens: {
    andToken: ' ',
    orToken: ' OR ',
    notToken: 'NOT ',
    subExpression: '(%s)',
    listExpression: '(%s)',
    listSeparator: ' ',
    valueExpression: '"%s"',
    nullExpression: 'NOT %s="*"',
    notNullExpression: '%s="*"',
    mapExpression: '%s=%s',
    mapListsSpecialHandling: true,
    mapListValueExpression: '%s IN %s',
    typedValueExpression: {},
  },
  cleanValue: SPLUNK_ESCAPE,
  allowsMultipleConditions: true,
  hooks: {
    and: (r, n) => {
      const g = r.baseAnd(n);
      return g === null ? null : `(${g})`;
    },
    mapItemList: (r, field, value: ListValue) => {
      r.checkListValues(value);
      return '(' + value.items.map((v) => fmt('%s=%s', field, r.baseValue(v))).join(' OR ') + ')';
    },
    aggregation: (_r, agg) => splunkAggregation(agg),
  },
};

function splunkAggregation(agg: Aggregation): string {
  if (agg.aggfunc === 'near') throw notImplemented("The 'near' aggregation operator is not yet implemented for this backend");
  let func = agg.aggfuncText;
  const field = agg.aggfield ?? '';
  if (agg.groupfield === null) {
    if (func === 'count') {
      if (agg.aggfield === null) return fmt(' | eventstats count as val | search val %s %s', agg.condOp, agg.condition);
      func = 'dc';
    }
    return fmt(' | eventstats %s(%s) as val | search val %s %s', func, field, agg.condOp, agg.condition);
  }
  if (func === 'count') {
    if (agg.aggfield === null) return fmt(' | eventstats count as val by %s| search val %s %s', agg.groupfield, agg.condOp, agg.condition);
    func = 'dc';
  }
  return fmt(' | eventstats %s(%s) as val by %s | search val %s %s', func, field, agg.groupfield, agg.condOp, agg.condition);
}

export const LOGPOINT: Dialect = {
  tokens: {
    andToken: ' ',
    orToken: ' OR ',
    notToken: ' -',
    subExpression: '(%s)',
    listExpression: '[%s]',
    listSeparator: ', ',
    valueExpression: '"%s"',
    nullExpression: '-%s=*',
    notNullExpression: '%s=*',
    mapExpression: '%s=%s',
    mapListsSpecialHandling: true,
    mapListValueExpression: '%s IN %s',
    typedValueExpression: {},
  },
  cleanValue: SPLUNK_ESCAPE,
  hooks: {
    aggregation: (_r, agg) => {
      if (agg.aggfunc === 'near') throw notImplemented("The 'near' aggregation operator is not yet implemented for this backend");
      const field = agg.aggfield ?? '';
      return agg.groupfield === null
        ? fmt(' | chart %s(%s) as val | search val %s %s', agg.aggfuncText, field, agg.condOp, agg.condition)
        : fmt(' | chart %s(%s) as val by %s | search val %s %s', agg.aggfuncText, field, agg.groupfield, agg.condOp, agg.condition);
    },
  },
};
