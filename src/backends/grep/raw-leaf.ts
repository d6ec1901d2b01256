/**
 * `--fields raw` (the default, like sigmac): a leaf's value is searched anywhere in the line and the field
 * name is ignored. Unlike sigmac, every literal is escaped, `?` is one character, a number cannot match
 * inside a longer number, and tests that need a field (null, exists, fieldref, comparisons) are refused.
 */
import { escapeRegex } from '../../regex/escape';
import { patternRegex, plainTextStyle } from '../../regex/pattern-regex';
import { ipv4CidrRegex } from '../../regex/ipv4-range';
import { parseIp } from '../../util/ip';
import { keywordTest } from '../../ir/keyword';
import type { Pattern, TestNode, ValueTest } from '../../ir/types';
import { isWildcard } from '../../ir/types';
import type { LeafPiece } from './assertions';
import type { LeafFailure } from './json-leaf';

/** Builds the regex for a Sigma `re` searched in the line. */
export type RegexInLine = (leaf: TestNode, test: Extract<ValueTest, { kind: 'regex' }>) => string | undefined;

function trimStars(p: Pattern): Pattern {
  let start = 0;
  let end = p.length;
  const star = (x: Pattern[number] | undefined) => x !== undefined && typeof x !== 'string' && isWildcard(x) && x.wildcard === '*';
  while (start < end && star(p[start])) start++;
  while (end > start && star(p[end - 1])) end--;
  return p.slice(start, end);
}

export function rawLeaf(leaf: TestNode, failures: LeafFailure[], regexLeaf: RegexInLine): LeafPiece | undefined {
  const fail = (reason: string) => {
    failures.push({ leaf, reason });
    return undefined;
  };
  const test = leaf.field === null ? keywordTest(leaf.test) : leaf.test;
  switch (test.kind) {
    case 'string': {
      const body = patternRegex(trimStars(test.pattern), plainTextStyle('pcre'));
      return { source: test.cased ? `(?-i:${body})` : body, fromLineStart: false };
    }
    case 'number':
      return { source: `(?<![0-9])${escapeRegex(String(test.value), 'pcre')}(?![0-9])`, fromLineStart: false };
    case 'bool':
      return { source: `(?<![A-Za-z])${test.value}(?![A-Za-z])`, fromLineStart: false };
    case 'regex': {
      const source = regexLeaf(leaf, test);
      return source === undefined ? undefined : { source, fromLineStart: false };
    }
    case 'cidr': {
      if (test.version !== 4) return fail('an IPv6 CIDR has too many textual forms for one regex');
      const network = parseIp(test.network);
      if (!network) return fail(`invalid network ${test.network}`);
      return { source: `(?<![0-9.])${ipv4CidrRegex(network.value, test.prefixLength)}(?![0-9]|\\.[0-9])`, fromLineStart: false };
    }
    case 'null':
    case 'exists':
    case 'fieldref':
    case 'compare':
    case 'timepart':
      return fail(`a ${test.kind} test needs field names; use --fields json`);
  }
}
