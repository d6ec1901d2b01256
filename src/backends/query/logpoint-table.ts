/**
 * The LogPoint token table, following LogPoint's own pySigma backend: AND is a space, NOT is `-`, values
 * are double-quoted (single-quoted when they hold `"`) with no escape character, so a backslash is
 * written once (sigmac doubled it) and a literal `*` or `?` cannot be told from a wildcard (a warning
 * says so). Field search is case-insensitive, so a `cased` value and a `re` become
 * `| process regex(..., "filter=true")` filters, which only conjuncts of the top-level AND can use.
 * Field names are as written in the rule: map them to LogPoint's normalized names with a pipeline.
 */
import { keywordTest } from '../../ir/keyword';
import { endsWithStar, hasWildcards, plainLiteral, startsWithStar } from '../../ir/pattern';
import { isPlaceholder, isWildcard, type Pattern, type TestNode, type ValueTest } from '../../ir/types';
import { ipv4CidrPatterns } from './cidr-patterns';
import { hasCasedLetters } from './lucene-table';
import { patternToPcre } from './pcre-pattern';
import type { BooleanSyntax, EngineTable, Form, FormResult, LeafForms } from './types';

const ENGINE = 'LogPoint';
const KEYWORD_WARNING = 'a keyword is a LogPoint phrase search: it matches whole words of the log, not any substring as Sigma does';
const LITERAL_WILDCARD_WARNING = 'LogPoint cannot escape `*` or `?` in a value: the literal character also matches as a wildcard';
const REGEX_ONLY_ON_TOP = 'LogPoint applies a regular expression only as a `| process regex` filter on the whole query, so it must be a condition of the top-level AND (not under OR or NOT)';
const RESERVED_NAMES = new Set(['process', 'filter', 'search', 'chart', 'and', 'in', 'or', 'not']);
const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function logpointField(name: string): string | undefined {
  if (/^[\w.]+$/.test(name) && !RESERVED_NAMES.has(name.toLowerCase())) return name;
  return name.includes('"') ? undefined : `"${name}"`;
}

/** A quoted value: no escapes exist, so the quote character is chosen to fit. */
export function logpointQuoted(text: string): string | undefined {
  if (!text.includes('"')) return `"${text}"`;
  return text.includes("'") ? undefined : `'${text}'`;
}

function quotedPattern(pattern: Pattern): { text: string; literalWildcard: boolean } | undefined {
  let out = '';
  let literalWildcard = false;
  for (const p of pattern) {
    if (typeof p === 'string') {
      if (/[*?]/.test(p)) literalWildcard = true;
      out += p;
    } else if (isWildcard(p)) out += p.wildcard;
    else return undefined;
  }
  const q = logpointQuoted(out);
  return q === undefined ? undefined : { text: q, literalWildcard };
}

const refuse = (construct: string, why: string): FormResult => ({ refused: `${ENGINE} cannot express ${construct}: ${why}` });

function regexFilter(f: string, source: string): FormResult {
  if (source.includes('"')) return refuse('a regular expression containing `"`', 'the process regex argument has no escape for it');
  return { text: `process regex(${JSON.stringify(source).replace(/\\\\/g, '\\')}, ${f}, "filter=true")` };
}

function fieldForms(name: string, test: ValueTest): LeafForms {
  const f = logpointField(name);
  if (f === undefined) {
    const r = refuse(`the field name ${JSON.stringify(name)}`, 'it contains a double quote');
    return { search: r, second: r };
  }
  const value = (v: string): Form => ({ text: `${f}=${v}`, group: { field: f, value: v } });
  const only = (search: FormResult): LeafForms => ({ search });
  switch (test.kind) {
    case 'string': {
      if (test.pattern.some((p) => typeof p !== 'string' && isPlaceholder(p))) return only(refuse('an unresolved placeholder', 'pass a placeholder file'));
      if (test.cased && hasCasedLetters(test.pattern)) {
        const re = patternToPcre(test.pattern, false, '$');
        return { search: refuse('a cased value', `field search is case-insensitive; ${REGEX_ONLY_ON_TOP}`), ...(re !== undefined ? { second: regexFilter(f, re) } : {}) };
      }
      const q = quotedPattern(test.pattern);
      if (q === undefined) return only(refuse('a value containing both quote characters', 'LogPoint strings have no escape character'));
      return only({ ...value(q.text), ...(q.literalWildcard ? { warnings: [LITERAL_WILDCARD_WARNING] } : {}) });
    }
    case 'regex': {
      const flags = test.flags ? `(?${test.flags})` : '';
      return { search: refuse(`the |re value ${JSON.stringify(test.source)} here`, REGEX_ONLY_ON_TOP), second: regexFilter(f, flags + test.source) };
    }
    case 'number':
      return only(value(String(test.value)));
    case 'bool':
      return only(value(`"${test.value}"`));
    case 'null':
      return only({ text: `${f}!=*` });
    case 'exists':
      return only({ text: `${f}=*` });
    case 'cidr': {
      const patterns = test.version === 4 ? ipv4CidrPatterns(test.network, test.prefixLength) : undefined;
      if (!patterns) return only(refuse(`the IPv6 network ${test.cidr} (|cidr)`, 'addresses are matched as text and IPv6 text has several spellings'));
      const values = patterns.map((p) => `"${hasWildcards(p) ? `${plainLiteral(p.slice(0, -1)) ?? ''}*` : (plainLiteral(p) ?? '')}"`);
      return only(values.length === 1 ? value(values[0]!) : { text: `${f} IN [${values.join(', ')}]` });
    }
    case 'compare':
      return only({ text: `${f} ${COMPARE[test.op]} ${test.value}` });
    case 'fieldref':
      return only(refuse(`the field reference ${name}|fieldref ${test.field}`, 'the search compares fields with values, not with other fields'));
    case 'timepart':
      return only(refuse(`the time part ${name}|${test.part}`, 'the search has no timestamp-part function for a rule field'));
  }
}

function keywordForms(test: ValueTest): LeafForms {
  if (test.kind !== 'string') return { search: refuse(`a keyword with a ${test.kind} value`, 'keywords are text searches') };
  let p: Pattern = test.pattern;
  if (startsWithStar(p)) p = p.slice(1);
  if (endsWithStar(p)) p = p.slice(0, -1);
  if (plainLiteral(p) === '') return { search: refuse('an empty keyword', 'it would match every event') };
  const q = quotedPattern(p);
  if (q === undefined) return { search: refuse('a keyword containing both quote characters', 'LogPoint strings have no escape character') };
  return { search: { text: q.text, warnings: [KEYWORD_WARNING, ...(q.literalWildcard ? [LITERAL_WILDCARD_WARNING] : [])] } };
}

export const LOGPOINT_SEARCH: BooleanSyntax = {
  and: ' ',
  or: ' OR ',
  not: '-',
  parenthesizeNotInOr: false,
  fieldGroup: (field, values) => `${field} IN [${values.join(', ')}]`,
  matchAll: '*',
};

export const LOGPOINT_TABLE: EngineTable = {
  engine: ENGINE,
  search: LOGPOINT_SEARCH,
  secondStage: {
    kind: 'pipeline',
    join: (search, filters) => [search ?? '*', ...filters].join(' | '),
  },
  leaf: (node: TestNode): LeafForms => (node.field === null ? keywordForms(keywordTest(node.test)) : fieldForms(node.field, node.test)),
};
