/**
 * `--fields json`: a field test matches only inside that key's JSON value, at any depth of the line
 * (`"Image":"...\\powershell.exe"`). Keys are matched case-sensitively even under `grep -i`; values follow
 * the test's case rule. Numbers and booleans match written bare or quoted, as the reference evaluator does.
 */
import { escapeRegex } from '../../regex/escape';
import { JSON_RUN, jsonLiteralRegex, jsonStringStyle } from '../../regex/json-text';
import { patternRegex } from '../../regex/pattern-regex';
import { ipv4CidrRegex } from '../../regex/ipv4-range';
import { parseIp } from '../../util/ip';
import { keywordTest } from '../../ir/keyword';
import type { Pattern, TestNode, ValueTest } from '../../ir/types';
import type { LeafPiece } from './assertions';

export interface LeafFailure {
  readonly leaf: TestNode;
  readonly reason: string;
}

/** Characters a bare JSON number or literal can contain. */
const BARE_TOKEN = /^[0-9A-Za-z.+-]*$/;
const BARE_END = '(?![0-9A-Za-z.+-])';

/** The elements before the one that matches, inside an array of scalars: `["a", 1, ` */
const ARRAY_PREFIX = '\\[\\s*(?:(?:"(?:[^"\\\\]|\\\\.)*"|[^\\[\\]{}",\\s]+)\\s*,\\s*)*';

/** A value as the field's value, or as one scalar element of an array under the field. */
function valueOrElement(value: string): string {
  return `(?:${value}|${ARRAY_PREFIX}${value})`;
}

function key(field: string): string {
  return `(?-i:"${jsonLiteralRegex(field, 'pcre')}")\\s*:\\s*`;
}

function cased(source: string, isCased: boolean): string {
  return isCased ? `(?-i:${source})` : source;
}

/** A string pattern as a JSON string value, plus its bare-token form when the value could be a number/bool. */
function stringValue(pattern: Pattern, isCased: boolean): string {
  const quoted = `"${patternRegex(pattern, jsonStringStyle('pcre', !isCased))}"`;
  const literals = pattern.filter((p): p is string => typeof p === 'string');
  if (!literals.every((l) => BARE_TOKEN.test(l)) || pattern.length === 0) return cased(quoted, isCased);
  const bare = patternRegex(pattern, { literal: (t) => escapeRegex(t, 'pcre'), anyRun: '[0-9A-Za-z.+-]*', anyOne: '[0-9A-Za-z.+-]' });
  return cased(`(?:${quoted}|${bare}${BARE_END})`, isCased);
}

/**
 * Builds the regex, placed right after a value's opening quote, that holds when a Sigma `re` matches
 * somewhere in the decoded value; undefined (with a recorded failure) when it cannot be translated.
 */
export type RegexInJson = (leaf: TestNode, test: Extract<ValueTest, { kind: 'regex' }>) => string | undefined;

/** Per one-liner state: failures, and unique names for capture groups (fieldref backreferences). */
export interface LeafContext {
  readonly failures: LeafFailure[];
  nextGroupName(): string;
}

export function jsonLeaf(leaf: TestNode, context: LeafContext, regexLeaf: RegexInJson): LeafPiece | undefined {
  const failures = context.failures;
  const fail = (reason: string) => {
    failures.push({ leaf, reason });
    return undefined;
  };
  if (leaf.field === null) return keywordLeaf(leaf, fail, regexLeaf);
  const k = key(leaf.field);
  const test = leaf.test;
  switch (test.kind) {
    case 'string':
      return { source: k + valueOrElement(stringValue(test.pattern, test.cased)), fromLineStart: false };
    case 'number': {
      const n = escapeRegex(String(test.value), 'pcre');
      return { source: `${k}${valueOrElement(`(?:"${n}"|${n}${BARE_END})`)}`, fromLineStart: false };
    }
    case 'bool':
      return { source: `${k}${valueOrElement(`(?:"${test.value}"|${test.value}${BARE_END})`)}`, fromLineStart: false };
    case 'null':
      // Holds when no occurrence of the key has a non-null value.
      return { source: `${k}(?!null${BARE_END})`, fromLineStart: false, negative: true };
    case 'exists':
      return { source: k, fromLineStart: false };
    case 'cidr': {
      if (test.version !== 4) return fail('an IPv6 CIDR has too many textual forms for one regex');
      const network = parseIp(test.network);
      if (!network) return fail(`invalid network ${test.network}`);
      return { source: `${k}${valueOrElement(`"${ipv4CidrRegex(network.value, test.prefixLength)}"`)}`, fromLineStart: false };
    }
    case 'regex': {
      const source = regexLeaf(leaf, test);
      return source === undefined ? undefined : { source: `${k}${valueOrElement(`"${source}`)}`, fromLineStart: false };
    }
    case 'compare':
      return fail(`numeric comparison (${test.op}) has no exact single-regex form`);
    case 'fieldref':
      return { source: fieldrefRegex(leaf.field, test.field, test.startswith, test.endswith, context), fromLineStart: true };
    case 'timepart':
      return fail(`timestamp parts (${test.part}) have no single-regex form`);
  }
}

/**
 * A field reference through a backreference: some value of `other` is captured and the field's value must
 * equal it (or start/end with it, or contain it); either key may come first in the line. Backreferences
 * match caselessly under `grep -i`, as the evaluator compares.
 */
function fieldrefRegex(field: string, other: string, startswith: boolean, endswith: boolean, context: LeafContext): string {
  const before = endswith ? JSON_RUN : '';
  const after = startswith ? JSON_RUN : '';
  // Other key first: capture its value, then the field's value is built around the backreference.
  const a = context.nextGroupName();
  const otherFirst = `.*${key(other)}"(?<${a}>${JSON_RUN})".*${key(field)}"${before}\\k<${a}>${after}"`;
  // Field first: capture the part of its value that must equal the other's value (backtracking tries every split).
  const b = context.nextGroupName();
  const fieldFirst = `.*${key(field)}"${before}(?<${b}>${JSON_RUN})${after}".*${key(other)}"\\k<${b}>"`;
  return `(?:${otherFirst}|${fieldFirst})`;
}

/**
 * A keyword: somewhere inside a JSON string that is a value (not a key). The scan starts at the line start
 * and steps over whole strings, so it can only enter a string at its opening quote.
 */
function keywordLeaf(leaf: TestNode, fail: (reason: string) => undefined, regexLeaf: RegexInJson): LeafPiece | undefined {
  const kw = keywordTest(leaf.test);
  const toString = '(?:[^"]|"(?:[^"\\\\]|\\\\.)*")*?"';
  const endOfValue = '"(?!\\s*:)';
  if (kw.kind === 'string') {
    const inner = patternRegex(kw.pattern, jsonStringStyle('pcre', !kw.cased));
    return { source: `${toString}${cased(inner, kw.cased)}${endOfValue}`, fromLineStart: true };
  }
  if (kw.kind === 'regex') {
    const source = regexLeaf(leaf, kw);
    return source === undefined ? undefined : { source: `${toString}${source}${JSON_RUN}${endOfValue}`, fromLineStart: true };
  }
  return fail(`a keyword of type ${kw.kind} has no meaning`);
}

