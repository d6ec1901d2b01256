/**
 * The Lucene query_string token table, for Elasticsearch (es-qs, and the query inside xpack-watcher) and
 * Graylog. Assumptions (documented in the README section): string fields are `keyword` fields (whole
 * value, no analyzer, case-sensitive), so a case-insensitive Sigma string with letters becomes a regex
 * with both cases (`/.*\\[Pp][Oo].../`), which is exact; a value without letters, or a `cased` one, stays a
 * quoted term or a wildcard term. Escaping is per context: field names, quoted strings, wildcard terms
 * and regexes each have their own function here or in lucene-regex.ts.
 */
import { keywordTest } from '../../ir/keyword';
import { endsWithStar, hasWildcards, plainLiteral, startsWithStar } from '../../ir/pattern';
import { isPlaceholder, isWildcard, type Pattern, type TestNode, type ValueTest } from '../../ir/types';
import { ipv4CidrPatterns } from './cidr-patterns';
import { patternToLuceneRegex, sigmaRegexToLucene, simpleCaseVariants } from './lucene-regex';
import type { BooleanSyntax, EngineTable, FormResult, LeafForms } from './types';

export type LuceneFlavor = 'elasticsearch' | 'graylog';

/** Characters with a meaning in query_string terms; `+` and `-` only at the start of a term. */
const RESERVED = new Set([...'\\/!(){}[]^"~*?:&|']);
const SIGN = new Set(['+', '-']);

/** A field name for `field:value`; undefined when it holds a character no escape can write. */
export function luceneField(name: string): string | undefined {
  let out = '';
  for (const ch of name) {
    if (ch === ' ') out += '\\ ';
    else if (/\s/.test(ch) || isControl(ch)) return undefined;
    else if (RESERVED.has(ch) || (out === '' && SIGN.has(ch))) out += `\\${ch}`;
    else out += ch;
  }
  return out === '' ? undefined : out;
}

/** A phrase / exact value: inside quotes only `"` and `\` are special. */
export function luceneQuoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An unquoted wildcard term; undefined when a literal holds whitespace other than a space or a control char. */
export function luceneWildcardTerm(pattern: Pattern): string | undefined {
  let out = '';
  for (const p of pattern) {
    if (typeof p !== 'string') {
      if (!isWildcard(p)) return undefined;
      out += p.wildcard;
      continue;
    }
    for (const ch of p) {
      if (ch === ' ') out += '\\ ';
      else if (/\s/.test(ch) || isControl(ch)) return undefined;
      else if (ch === '*' || ch === '?' || RESERVED.has(ch) || (out === '' && SIGN.has(ch))) out += `\\${ch}`;
      else out += ch;
    }
  }
  return out === '' ? undefined : out;
}

function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c < 0x20 || c === 0x7f;
}

export function hasCasedLetters(pattern: Pattern): boolean {
  return pattern.some((p) => typeof p === 'string' && [...p].some((ch) => simpleCaseVariants(ch.codePointAt(0)!).length > 1));
}

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export const LUCENE_SYNTAX: BooleanSyntax = {
  and: ' AND ',
  or: ' OR ',
  not: 'NOT ',
  parenthesizeNotInOr: true,
  fieldGroup: (field, values) => `${field}:(${values.join(' OR ')})`,
  matchAll: '*:*',
};

export function luceneTable(flavor: LuceneFlavor): EngineTable {
  const engine = flavor === 'elasticsearch' ? 'Elasticsearch query_string' : 'Graylog';
  const keywordWarning =
    flavor === 'elasticsearch'
      ? 'a keyword is a full-text search of the default fields (index.query.default_field): it matches analyzed tokens, not any substring as Sigma does'
      : "a keyword is a full-text search of Graylog's message field: it matches analyzed tokens, not any substring as Sigma does";
  const refuse = (construct: string, why: string): FormResult => ({ refused: `${engine} cannot express ${construct}: ${why}` });

  const field = (name: string, test: ValueTest): FormResult => {
    const f = luceneField(name);
    if (f === undefined) return refuse(`the field name ${JSON.stringify(name)}`, 'it contains whitespace or control characters that query_string cannot escape');
    const value = (v: string): FormResult => ({ text: `${f}:${v}`, group: { field: f, value: v } });
    switch (test.kind) {
      case 'string': {
        if (test.pattern.some((p) => typeof p !== 'string' && isPlaceholder(p))) return refuse('an unresolved placeholder', 'pass a placeholder file');
        const literal = plainLiteral(test.pattern);
        const ci = !test.cased && hasCasedLetters(test.pattern);
        if (!ci && literal !== undefined) return value(luceneQuoted(literal));
        const term = ci ? undefined : luceneWildcardTerm(test.pattern);
        if (term !== undefined) return value(term);
        const re = patternToLuceneRegex(test.pattern, ci);
        if (!re.ok) return refuse('this value', re.reason);
        return { ...value(`/${re.source}/`), warnings: re.warnings };
      }
      case 'regex': {
        const re = sigmaRegexToLucene(test.source, test.flags);
        if (!re.ok) return refuse(`the |re value ${JSON.stringify(test.source)}`, re.reason);
        return { ...value(`/${re.source}/`), warnings: re.warnings };
      }
      case 'number':
        return value(luceneWildcardTerm([String(test.value)]) ?? luceneQuoted(String(test.value)));
      case 'bool':
        return value(String(test.value));
      case 'null':
        return { text: `NOT _exists_:${f}`, negated: true };
      case 'exists':
        return { text: `_exists_:${f}` };
      case 'cidr': {
        if (flavor === 'elasticsearch') return value(luceneQuoted(test.cidr));
        const patterns = test.version === 4 ? ipv4CidrPatterns(test.network, test.prefixLength) : undefined;
        if (!patterns) return refuse(`the IPv6 network ${test.cidr} (|cidr)`, 'Graylog stores addresses as text and has no CIDR search');
        const terms = patterns.map((p) => (hasWildcards(p) ? luceneWildcardTerm(p)! : luceneQuoted(plainLiteral(p) ?? '')));
        return terms.length === 1 ? value(terms[0]!) : { text: `${f}:(${terms.join(' OR ')})` };
      }
      case 'compare':
        return value(`${COMPARE[test.op]}${test.value}`);
      case 'fieldref':
        return refuse(`the field reference ${name}|fieldref ${test.field}`, 'comparing two fields of one event needs a script query (painless), which query_string does not have');
      case 'timepart':
        return refuse(`the time part ${name}|${test.part}`, 'extracting a part of a timestamp needs a script query (painless)');
    }
  };

  const keyword = (test: ValueTest): FormResult => {
    if (test.kind !== 'string') return refuse(`a keyword with a ${test.kind} value`, 'keywords are text searches');
    let p: Pattern = test.pattern;
    if (startsWithStar(p)) p = p.slice(1);
    if (endsWithStar(p)) p = p.slice(0, -1);
    const literal = plainLiteral(p);
    if (literal === '') return refuse('an empty keyword', 'it would match every event');
    if (literal !== undefined) return { text: luceneQuoted(literal), warnings: [keywordWarning] };
    const term = luceneWildcardTerm(p);
    if (term === undefined) return refuse('this keyword', 'it holds whitespace other than spaces');
    return { text: term, warnings: [keywordWarning] };
  };

  return {
    engine,
    search: LUCENE_SYNTAX,
    leaf: (node: TestNode): LeafForms => ({
      search: node.field === null ? keyword(keywordTest(node.test)) : field(node.field, node.test),
    }),
  };
}
