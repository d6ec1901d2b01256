/**
 * The Splunk token table. The main search (`field="value"`, wildcards `*`) is case-insensitive, which is
 * Sigma's default, so most rules stay a plain search. What the search cannot say exactly (a `cased`
 * value, the `?` wildcard, a literal `*` — Splunk cannot escape it —, `re`, `fieldref`, field names with
 * odd characters) moves to `| where` with eval functions (`match()`, `cidrmatch()`, `isnull()`), which are
 * case-sensitive and exact. Inside quotes Splunk reads `\\` and `\"` as escapes, so both are doubled.
 */
import { keywordTest } from '../../ir/keyword';
import { endsWithStar, plainLiteral, startsWithStar } from '../../ir/pattern';
import { isPlaceholder, isWildcard, type Pattern, type TestNode, type ValueTest } from '../../ir/types';
import { parseRegex } from '../../regex/parse-regex';
import { toPcreSource } from '../../regex/to-pcre';
import { hasCasedLetters } from './lucene-table';
import { patternToPcre } from './pcre-pattern';
import type { BooleanSyntax, EngineTable, Form, FormResult, LeafForms } from './types';

const ENGINE = 'Splunk';
const KEYWORD_WARNING = "a keyword is a search term in _raw: Splunk matches it against indexed terms (split at breakers), not as any substring as Sigma does";
const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A quoted search or eval string: `\` and `"` are escaped. */
export function splunkQuoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A field name in the search command; undefined when it needs quoting the search cannot do. */
export function splunkSearchField(name: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_.\-{}@]*$/.test(name) ? name : undefined;
}

/** A field name in an eval expression: single quotes when it is not a plain identifier. */
export function splunkEvalField(name: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  return name.includes("'") || name.includes('\\') ? undefined : `'${name}'`;
}

/** A pattern as a quoted search value; undefined when it has `?` or a literal `*` (neither can be written). */
function searchValue(pattern: Pattern): string | undefined {
  let out = '';
  for (const p of pattern) {
    if (typeof p === 'string') {
      if (p.includes('*')) return undefined;
      out += p.replace(/[\\"]/g, (c) => `\\${c}`);
    } else if (isWildcard(p) && p.wildcard === '*') out += '*';
    else return undefined;
  }
  return `"${out}"`;
}

export const SPLUNK_SEARCH: BooleanSyntax = {
  and: ' ',
  or: ' OR ',
  not: 'NOT ',
  parenthesizeNotInOr: false,
  fieldGroup: (field, values) => `${field} IN (${values.join(', ')})`,
  matchAll: '*',
};

export const SPLUNK_WHERE: BooleanSyntax = {
  and: ' AND ',
  or: ' OR ',
  not: 'NOT ',
  parenthesizeNotInOr: false,
  matchAll: 'true()',
};

const refuse = (construct: string, why: string): FormResult => ({ refused: `${ENGINE} cannot express ${construct}: ${why}` });

function searchForm(field: string, test: ValueTest): FormResult {
  const f = splunkSearchField(field);
  if (f === undefined) return refuse(`the field name ${JSON.stringify(field)} in a search`, 'it needs quoting');
  const value = (v: string, op = '='): Form => ({ text: `${f}${op}${v}`, ...(op === '=' ? { group: { field: f, value: v } } : {}) });
  switch (test.kind) {
    case 'string': {
      if (test.cased && hasCasedLetters(test.pattern)) return refuse('a cased value in a search', 'search terms are case-insensitive');
      const v = searchValue(test.pattern);
      return v === undefined ? refuse('this value in a search', 'the search has no `?` wildcard and cannot escape `*`') : value(v);
    }
    case 'number':
      return value(String(test.value));
    case 'bool':
      return value(String(test.value));
    case 'null':
      return { text: `NOT ${f}=*`, negated: true };
    case 'exists':
      return { text: `${f}=*` };
    case 'cidr':
      // The search command matches CIDR values natively.
      return value(splunkQuoted(test.cidr));
    case 'compare':
      return value(String(test.value), COMPARE[test.op]);
    case 'regex':
    case 'fieldref':
    case 'timepart':
      return refuse(`a ${test.kind} test in a search`, 'it needs an eval expression');
  }
}

function whereForm(field: string, test: ValueTest): FormResult {
  const f = splunkEvalField(field);
  if (f === undefined) return refuse(`the field name ${JSON.stringify(field)}`, 'it contains a quote or backslash that eval cannot quote');
  switch (test.kind) {
    case 'string': {
      if (test.pattern.some((p) => typeof p !== 'string' && isPlaceholder(p))) return refuse('an unresolved placeholder', 'pass a placeholder file');
      const literal = plainLiteral(test.pattern);
      if (test.cased && literal !== undefined) return { text: `${f}==${splunkQuoted(literal)}` };
      const re = patternToPcre(test.pattern, !test.cased, '\\z');
      return re === undefined ? refuse('this value', 'it holds a placeholder') : { text: `match(${f}, ${splunkQuoted(re)})` };
    }
    case 'regex': {
      const parsed = parseRegex(test.source);
      if (!parsed.ast) return refuse(`the |re value ${JSON.stringify(test.source)}`, 'it does not parse');
      return { text: `match(${f}, ${splunkQuoted(toPcreSource(parsed.ast, test.flags))})` };
    }
    case 'number':
      return { text: `${f}==${test.value}` };
    case 'bool':
      return { text: `lower(${f})==${splunkQuoted(String(test.value))}` };
    case 'null':
      return { text: `isnull(${f})` };
    case 'exists':
      return { text: `isnotnull(${f})` };
    case 'cidr':
      return { text: `cidrmatch(${splunkQuoted(test.cidr)}, ${f})` };
    case 'compare':
      return { text: `${f}${COMPARE[test.op]}${test.value}` };
    case 'fieldref': {
      const g = splunkEvalField(test.field);
      if (g === undefined) return refuse(`the field reference ${JSON.stringify(test.field)}`, 'eval cannot quote its name');
      const a = `lower(${f})`;
      const b = `lower(${g})`;
      // Sigma field references compare case-insensitively.
      if (test.startswith && test.endswith) return refuse(`the field reference ${field}|fieldref|contains`, 'eval has no substring test that takes a literal (non-regex) needle');
      if (test.startswith) return { text: `substr(${a}, 1, len(${g}))==${b}` };
      if (test.endswith) return { text: `len(${f})>=len(${g}) AND substr(${a}, len(${f})-len(${g})+1)==${b}`, compound: true };
      return { text: `${a}==${b}` };
    }
    case 'timepart':
      return refuse(`the time part ${field}|${test.part}`, 'the field would have to be parsed as a timestamp with a format the rule does not give');
  }
}

function keywordForms(test: ValueTest): LeafForms {
  if (test.kind !== 'string') {
    const r = refuse(`a keyword with a ${test.kind} value`, 'keywords are text searches');
    return { search: r, second: r };
  }
  let p: Pattern = test.pattern;
  if (startsWithStar(p)) p = p.slice(1);
  if (endsWithStar(p)) p = p.slice(0, -1);
  const literal = plainLiteral(p);
  if (literal === '') {
    const r = refuse('an empty keyword', 'it would match every event');
    return { search: r, second: r };
  }
  const re = patternToPcre(test.pattern, !test.cased, '\\z');
  const second: FormResult = re === undefined ? refuse('this keyword', 'it holds a placeholder') : { text: `match(_raw, ${splunkQuoted(re)})` };
  const v = test.cased && hasCasedLetters(p) ? undefined : searchValue(p);
  const search: FormResult = v === undefined ? refuse('this keyword in a search', 'it is cased, or has `?` or a literal `*`') : { text: v, warnings: [KEYWORD_WARNING] };
  return { search, second };
}

export const SPLUNK_TABLE: EngineTable = {
  engine: ENGINE,
  search: SPLUNK_SEARCH,
  secondStage: {
    kind: 'boolean',
    syntax: SPLUNK_WHERE,
    join: (search, where) => `${search ?? '*'} | where ${where}`,
  },
  leaf: (node: TestNode): LeafForms => {
    if (node.field === null) return keywordForms(keywordTest(node.test));
    return { search: searchForm(node.field, node.test), second: whereForm(node.field, node.test) };
  },
};
