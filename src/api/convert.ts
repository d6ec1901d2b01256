/** Converting one loaded rule to a target: grep one-liners, explain output, a plan, text queries. */
import { error, hasErrors, warning, type Diagnostic } from '../util/diagnostics';
import type { SigmaRule } from '../rule/types';
import type { CompiledRule, CompileOptions } from '../ir/compile-rule';
import { explainIr } from '../ir/explain';
import { compileGrep, type GrepFields, type GrepFormat } from '../backends/grep';
import { SIGMAC_BACKENDS, convertSigmac, type SigmacBackend } from '../backends/sigmac';
import { buildPlan } from '../backends/plan';
import { convertQuery } from '../backends/query';
import { WINDOWS_MAPPING } from '../logsource/mapping';
import { compileLoadedRule, type LoadedRule } from './rule-set';
import type { Target } from './targets';


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


export function convertRule(r: LoadedRule, options: ConvertOptions): ConvertedRule {
  if (options.dialect === 'sigmac') return convertSigmacDialect(r, options);
  const compiled = compileLoadedRule(r, options);
  if (!compiled.ir || hasErrors(compiled.diagnostics)) return { rule: r.rule, compiled, diagnostics: compiled.diagnostics };
  switch (options.target) {
    case 'ir':
      return { rule: r.rule, compiled, output: `${explainIr(compiled.ir)}\n`, diagnostics: compiled.diagnostics };
    case 'plan': {
      const built = buildPlan([{ rule: r.rule, ir: compiled.ir }], { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
      const problems = built.problems.map((p) => error(p.code, p.message, r.lines.position(p.offset), r.rule.title));
      if (problems.length > 0) return { rule: r.rule, compiled, diagnostics: [...compiled.diagnostics, ...problems] };
      return { rule: r.rule, compiled, output: `${JSON.stringify(built.plan, null, 2)}\n`, diagnostics: compiled.diagnostics };
    }
    default: {
      const rule = r.rule;
      const result = convertQuery(compiled.ir, options.target, {
        rule: { title: rule.title, ...(rule.id ? { id: rule.id } : {}), ...(rule.description ? { description: rule.description } : {}), ...(rule.level ? { level: rule.level } : {}), tags: rule.tags },
      });
      if (!result.ok) {
        const problems = result.problems.map((p) => error('QUERY_UNSUPPORTED', `${options.target} cannot express this: ${p.message}`, r.lines.position(p.offset), rule.title));
        return { rule, compiled, diagnostics: [...compiled.diagnostics, ...problems] };
      }
      const warnings = result.warnings.map((p) => warning('QUERY_APPROXIMATED', `${options.target}: ${p.message}`, r.lines.position(p.offset), rule.title));
      return { rule, compiled, output: `${result.output}\n`, diagnostics: [...compiled.diagnostics, ...warnings] };
    }
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
  const backend = (SIGMAC_BACKENDS as readonly string[]).includes(options.target) ? (options.target as SigmacBackend) : undefined;
  if (backend === undefined) {
    return {
      rule: r.rule,
      diagnostics: [error('SIGMAC_UNAVAILABLE', `--dialect sigmac has no output for target ${options.target}`, r.lines.position(r.rule.offset), r.rule.title)],
    };
  }
  const result = convertSigmac(r.rule, backend, r.lines.text);
  return { rule: r.rule, ...(result.output !== undefined ? { output: result.output } : {}), diagnostics: result.diagnostics };
}

