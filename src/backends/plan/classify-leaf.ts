/**
 * One IR test → one plan leaf in the cheapest strategy that is exactly equivalent: literal comparisons
 * (exact / prefix / suffix / contains / any) before RE2. Sigma `re` values are checked for RE2 safety
 * here; an unsafe one is a problem for the caller to report, never a leaf.
 */
import type { PlanLeaf, StringStrategy } from '../../plan/types';
import { keywordTest } from '../../ir/keyword';
import { isWildcard, type Pattern, type TestNode } from '../../ir/types';
import { patternRegex, plainTextStyle } from '../../regex/pattern-regex';
import { compileSigmaRegexForRe2 } from './sigma-regex';

export type ClassifiedLeaf = { readonly ok: true; readonly leaf: PlanLeaf } | { readonly ok: false; readonly code: string; readonly message: string };

function literalStrategy(p: Pattern): { strategy: StringStrategy; value: string } | undefined {
  const star = (i: number) => {
    const x = p[i];
    return x !== undefined && typeof x !== 'string' && isWildcard(x) && x.wildcard === '*';
  };
  const lit = (i: number) => typeof p[i] === 'string';
  if (p.length === 0) return { strategy: 'exact', value: '' };
  if (p.length === 1 && lit(0)) return { strategy: 'exact', value: p[0] as string };
  if (p.length === 1 && star(0)) return { strategy: 'any', value: '' };
  if (p.length === 2 && lit(0) && star(1)) return { strategy: 'prefix', value: p[0] as string };
  if (p.length === 2 && star(0) && lit(1)) return { strategy: 'suffix', value: p[1] as string };
  if (p.length === 3 && star(0) && lit(1) && star(2)) return { strategy: 'contains', value: p[1] as string };
  return undefined;
}

export function classifyLeaf(node: TestNode): ClassifiedLeaf {
  const field = node.field;
  const test = field === null ? keywordTest(node.test) : node.test;
  switch (test.kind) {
    case 'string': {
      const simple = literalStrategy(test.pattern);
      if (simple) return { ok: true, leaf: { field, kind: simple.strategy, value: simple.value, cased: test.cased } };
      const body = patternRegex(test.pattern, plainTextStyle('re2'));
      return { ok: true, leaf: { field, kind: 'regex', source: `(?s${test.cased ? '' : 'i'}:^${body}$)` } };
    }
    case 'regex': {
      const r = compileSigmaRegexForRe2(test.source, test.flags);
      if (!r.ok) return { ok: false, code: r.code, message: r.message };
      return { ok: true, leaf: { field, kind: 'regex', source: r.source } };
    }
    case 'number':
      return { ok: true, leaf: { field, kind: 'number', value: test.value } };
    case 'bool':
      return { ok: true, leaf: { field, kind: 'bool', value: test.value } };
    case 'null':
      return { ok: true, leaf: { field, kind: 'null' } };
    case 'exists':
      return { ok: true, leaf: { field, kind: 'exists' } };
    case 'cidr':
      return { ok: true, leaf: { field, kind: 'cidr', version: test.version, first: test.first, last: test.last } };
    case 'compare':
      return { ok: true, leaf: { field, kind: 'compare', op: test.op, value: test.value } };
    case 'fieldref': {
      const mode = test.startswith && test.endswith ? 'contains' : test.startswith ? 'prefix' : test.endswith ? 'suffix' : 'equals';
      return { ok: true, leaf: { field, kind: 'fieldref', other: test.field, mode } };
    }
    case 'timepart':
      return { ok: true, leaf: { field, kind: 'timepart', part: test.part, op: test.op, value: test.value } };
  }
}
