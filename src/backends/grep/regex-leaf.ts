/**
 * Sigma `re` values inside one-liners. The value's regex is parsed once (regex/parse-regex) and rewritten
 * with its flags resolved: for `--fields json` it must match the JSON-escaped text inside the value's
 * quotes; for raw lines it is searched as written. The result is wrapped in `(?-i:...)` so `grep -i`
 * does not fold a case-sensitive `re` (case-insensitive parts carry their own `(?i:...)`).
 */
import { parseRegex } from '../../regex/parse-regex';
import { toJsonValueRegex } from '../../regex/json-text-regex';
import { toPcreSource } from '../../regex/to-pcre';
import type { TestNode, ValueTest } from '../../ir/types';
import type { LeafFailure } from './json-leaf';

type RegexTest = Extract<ValueTest, { kind: 'regex' }>;

function parse(leaf: TestNode, test: RegexTest, failures: LeafFailure[]) {
  const parsed = parseRegex(test.source);
  if (!parsed.ast) failures.push({ leaf, reason: `invalid regular expression: ${parsed.problems[0]?.message ?? 'syntax error'}` });
  return parsed.ast;
}

export function regexInLine(leaf: TestNode, test: RegexTest, failures: LeafFailure[]): string | undefined {
  const ast = parse(leaf, test, failures);
  return ast && `(?-i:${toPcreSource(ast, test.flags)})`;
}

export function regexInJsonValue(leaf: TestNode, test: RegexTest, failures: LeafFailure[]): string | undefined {
  const ast = parse(leaf, test, failures);
  if (!ast) return undefined;
  const translated = toJsonValueRegex(ast, test.flags);
  if (translated.kind === 'problem') {
    failures.push({ leaf, reason: `this regular expression cannot be matched inside JSON text: ${translated.problem.message}` });
    return undefined;
  }
  return `(?-i:${translated.source})`;
}
