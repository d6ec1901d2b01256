/**
 * Sigma `re` values inside one-liners. The value's regex is parsed once (regex/parse-regex) and rewritten:
 * for `--fields json` it must match the JSON-escaped text inside the value's quotes; for raw lines it is
 * searched as written. Flags become an inline group, and `re` stays case-sensitive under `grep -i`
 * unless it has the `i` flag.
 */
import { parseRegex } from '../../regex/parse-regex';
import { toJsonValueRegex } from '../../regex/json-text-regex';
import { toPcreSource } from '../../regex/to-pcre';
import type { TestNode, ValueTest } from '../../ir/types';
import type { LeafFailure } from './json-leaf';

type RegexTest = Extract<ValueTest, { kind: 'regex' }>;

function inlineFlags(flags: string): string {
  const on = flags.split('').filter((f) => 'ims'.includes(f)).sort().join('');
  return on.includes('i') ? `(?${on}:` : `(?${on}-i:`;
}

export function regexInLine(leaf: TestNode, test: RegexTest, failures: LeafFailure[]): string | undefined {
  const parsed = parseRegex(test.source);
  if (!parsed.ast) {
    failures.push({ leaf, reason: `invalid regular expression: ${parsed.problems[0]?.message ?? 'syntax error'}` });
    return undefined;
  }
  return `${inlineFlags(test.flags)}${toPcreSource(parsed.ast)})`;
}

export function regexInJsonValue(leaf: TestNode, test: RegexTest, failures: LeafFailure[]): string | undefined {
  const parsed = parseRegex(test.source);
  if (!parsed.ast) {
    failures.push({ leaf, reason: `invalid regular expression: ${parsed.problems[0]?.message ?? 'syntax error'}` });
    return undefined;
  }
  const translated = toJsonValueRegex(parsed.ast, test.flags);
  if ('problem' in translated) {
    failures.push({ leaf, reason: `this regular expression cannot be matched inside JSON text: ${translated.problem}` });
    return undefined;
  }
  return `${inlineFlags(test.flags)}${translated.source})`;
}
