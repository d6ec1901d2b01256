/** Loading rule files into a rule set, and compiling one rule to IR. */
import { LineIndex, type Diagnostic } from '../util/diagnostics';
import { loadRuleText } from '../rule/load-rules';
import type { SigmaCorrelation, SigmaRule } from '../rule/types';
import { compileRule, type CompiledRule, type CompileOptions } from '../ir/compile-rule';
import type { RuleFileText } from '../io/rule-files';

export interface LoadedRule {
  readonly rule: SigmaRule;
  readonly lines: LineIndex;
}

export interface RuleSet {
  readonly rules: readonly LoadedRule[];
  readonly correlations: readonly SigmaCorrelation[];
  readonly diagnostics: readonly Diagnostic[];
  /** Source text by file, for rendering diagnostics with an excerpt. */
  readonly sources: ReadonlyMap<string, string>;
}

export function loadRuleSet(files: readonly RuleFileText[]): RuleSet {
  const rules: LoadedRule[] = [];
  const correlations: SigmaCorrelation[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const f of files) {
    sources.set(f.file, f.text);
    const lines = new LineIndex(f.file, f.text);
    const loaded = loadRuleText(f.file, f.text);
    diagnostics.push(...loaded.diagnostics);
    for (const doc of loaded.documents) {
      if (doc.kind === 'rule') rules.push({ rule: doc, lines });
      else correlations.push(doc);
    }
  }
  return { rules, correlations, diagnostics, sources };
}

export function compileLoadedRule(r: LoadedRule, options: CompileOptions = {}): CompiledRule {
  return compileRule(r.rule, r.lines, options);
}
