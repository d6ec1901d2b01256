/**
 * The library's front door: load rule files, compile them, convert them to a target. The CLI is a thin
 * layer over these functions; so is anything else that embeds sigrep.
 */
import { LineIndex, error, hasErrors, type Diagnostic } from './util/diagnostics';
import { loadRuleText } from './rule/load-rules';
import type { SigmaCorrelation, SigmaRule } from './rule/types';
import { compileRule, type CompiledRule, type CompileOptions } from './ir/compile-rule';
import { explainIr } from './ir/explain';
import { compileGrep, type GrepFields, type GrepFormat } from './backends/grep';
import type { RuleFileText } from './io/rule-files';
import { convertSigmac, type SigmacBackend } from './backends/sigmac';

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

export type Target = 'grep' | 'ir';
export type Dialect = 'default' | 'sigmac';

export interface ConvertOptions extends CompileOptions {
  readonly target: Target;
  readonly dialect: Dialect;
  readonly fields: GrepFields;
  readonly format: GrepFormat;
}

export interface ConvertedRule {
  readonly rule: SigmaRule;
  /** The target's text; absent when the rule was rejected. */
  readonly output?: string;
  readonly compiled?: CompiledRule;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileLoadedRule(r: LoadedRule, options: CompileOptions = {}): CompiledRule {
  return compileRule(r.rule, r.lines, options);
}

export function convertRule(r: LoadedRule, options: ConvertOptions): ConvertedRule {
  if (options.dialect === 'sigmac') return convertSigmacDialect(r, options);
  const compiled = compileLoadedRule(r, options);
  if (!compiled.ir || hasErrors(compiled.diagnostics)) return { rule: r.rule, compiled, diagnostics: compiled.diagnostics };
  switch (options.target) {
    case 'ir':
      return { rule: r.rule, compiled, output: `${explainIr(compiled.ir)}\n`, diagnostics: compiled.diagnostics };
    case 'grep': {
      const result = compileGrep(compiled.ir, { fields: options.fields, format: options.format });
      if (result.ok) return { rule: r.rule, compiled, output: `${result.output}\n`, diagnostics: compiled.diagnostics };
      const diagnostics = [
        ...compiled.diagnostics,
        ...result.problems.map((p) => error('GREP_UNSUPPORTED', `grep (--fields ${options.fields}) cannot express this: ${p.message}`, r.lines.position(p.offset), r.rule.title)),
      ];
      return { rule: r.rule, compiled, diagnostics };
    }
  }
}

/** Legacy sigmac's own pipeline, bugs included, for users who need byte-identical output. */
function convertSigmacDialect(r: LoadedRule, options: ConvertOptions): ConvertedRule {
  const backend: SigmacBackend | undefined = options.target === 'grep' ? 'grep' : undefined;
  if (backend === undefined) {
    return {
      rule: r.rule,
      diagnostics: [error('SIGMAC_UNAVAILABLE', `--dialect sigmac has no output for target ${options.target}`, r.lines.position(r.rule.offset), r.rule.title)],
    };
  }
  const result = convertSigmac(r.rule, backend, r.lines.text);
  return { rule: r.rule, ...(result.output !== undefined ? { output: result.output } : {}), diagnostics: result.diagnostics };
}
