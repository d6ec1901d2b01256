/**
 * Sigma `re` values for the plan: parsed once, refused when RE2 cannot run them (never handed to a
 * backtracking engine), and mined for prefilter literals.
 */
import { parseRegex } from '../../regex/parse-regex';
import { toRe2Source } from '../../regex/re2-safety';
import { requiredLiterals } from '../../regex/required-literals';

export type Re2Compiled = { readonly ok: true; readonly source: string } | { readonly ok: false; readonly code: string; readonly message: string };

export function compileSigmaRegexForRe2(source: string, flags: string): Re2Compiled {
  const parsed = parseRegex(source);
  if (!parsed.ast) return { ok: false, code: 'REGEX_INVALID', message: `invalid regular expression: ${parsed.problems[0]?.message ?? 'syntax error'}` };
  const r = toRe2Source(parsed.ast, flags);
  if (r.kind === 'unsafe') {
    const what = r.problems.map((p) => `${p.name} at position ${p.offset + 1}`).join(', ');
    return { ok: false, code: 'REGEX_NOT_RE2_SAFE', message: `regular expression ${JSON.stringify(source)} needs a backtracking engine (${what}); RE2 cannot run it` };
  }
  return { ok: true, source: r.source };
}

/** Literals one of which occurs in every match, or undefined when none are known. */
export function requiredLiteralsOfSigmaRegex(source: string, flags: string): readonly string[] | undefined {
  const parsed = parseRegex(source);
  if (!parsed.ast) return undefined;
  return requiredLiterals(parsed.ast, flags)?.literals;
}
