/**
 * One rule → its IR: lower the detection, OR the condition list, resolve placeholders, simplify.
 * The result carries every diagnostic; `ir` is absent when the rule has an error.
 */
import { error, hasErrors, type Diagnostic, type LineIndex } from '../util/diagnostics';
import type { SigmaRule } from '../rule/types';
import { lowerDetection } from './lower';
import { or } from './build';
import { resolvePlaceholders, type PlaceholderProblem, type PlaceholderValues } from './placeholders';
import { simplify } from './simplify';
import type { IrNode } from './types';

export interface CompileOptions {
  /** Values for `|expand` placeholders (name without `%` → values). */
  readonly placeholders?: PlaceholderValues;
}

export interface CompiledRule {
  readonly rule: SigmaRule;
  /** The detection logic, simplified; absent when the rule has errors. */
  readonly ir?: IrNode;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileRule(rule: SigmaRule, lines: LineIndex, options: CompileOptions = {}): CompiledRule {
  const lowered = lowerDetection(rule, lines);
  const diagnostics: Diagnostic[] = [...lowered.diagnostics];
  const trees = lowered.conditions.filter((c): c is IrNode => c !== null);
  if (!hasErrors(diagnostics) && trees.length === 0) {
    const at = rule.detection.entries.find((e) => e.key === 'condition');
    diagnostics.push(
      error('CONDITION_EMPTY', 'the condition selects nothing (its selectors match no search identifier)', lines.position(at?.value.offset ?? rule.offset), rule.title),
    );
  }
  if (hasErrors(diagnostics)) return { rule, diagnostics };
  const problems: PlaceholderProblem[] = [];
  const resolved = resolvePlaceholders(or(trees), options.placeholders ?? new Map(), problems);
  for (const p of problems) {
    const message =
      p.reason === 'unknown'
        ? `placeholder %${p.name}% has no values; pass a placeholder file that defines it`
        : `placeholder %${p.name}% expands to too many variants`;
    diagnostics.push(error('PLACEHOLDER_UNRESOLVED', message, lines.position(p.offset), rule.title));
  }
  if (problems.length > 0) return { rule, diagnostics };
  return { rule, ir: simplify(resolved), diagnostics };
}
