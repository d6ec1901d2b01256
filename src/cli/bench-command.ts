/** `sigrep bench`: rules → one plan → profiled single-thread pass over a corpus → per-rule cost report (text or JSON). */
import { loadRuleSet } from '../api/rule-set';
import { benchRules, BenchInputError, renderBenchReport } from '../benchmark';
import type { PrefilterEngineChoice } from '../engine/line-prefilter';
import { readRuleFiles, readTextFile } from '../io/rule-files';
import { parseMappingFile } from '../logsource/mapping-file';
import { WINDOWS_MAPPING, type LogsourceMapping } from '../logsource/mapping';
import { parsePlaceholderFile } from '../rule/placeholder-file';
import { hasErrors, type Diagnostic } from '../util/diagnostics';
import { EXIT, type Io, reportDiagnostics } from './io';

export interface BenchArgs {
  readonly rules: readonly string[];
  readonly inputs: readonly string[];
  readonly top: number;
  /** Rules (id, title or file) to time with grep -P; empty: the `top` slowest. */
  readonly grep: readonly string[];
  readonly skipGrep: boolean;
  readonly json: boolean;
  readonly logsource: boolean;
  readonly mappingFile?: string;
  readonly placeholderFile?: string;
  readonly engine: PrefilterEngineChoice;
  readonly verbose: boolean;
}

function readAux<T>(file: string, parse: (file: string, text: string) => { diagnostics: Diagnostic[] } & T, io: Io): T | undefined {
  const text = readTextFile(file);
  if (text.diagnostic) {
    reportDiagnostics([text.diagnostic], new Map(), io);
    return undefined;
  }
  const parsed = parse(file, text.text ?? '');
  if (hasErrors(parsed.diagnostics)) {
    reportDiagnostics(parsed.diagnostics, new Map([[file, text.text ?? '']]), io);
    return undefined;
  }
  return parsed;
}

export async function runBench(args: BenchArgs, io: Io): Promise<number> {
  const read = readRuleFiles(args.rules);
  const set = loadRuleSet(read.files);
  let mapping: LogsourceMapping | null = args.logsource ? WINDOWS_MAPPING : null;
  if (args.logsource && args.mappingFile) {
    const parsed = readAux(args.mappingFile, parseMappingFile, io);
    if (!parsed?.mapping) return EXIT.usage;
    mapping = parsed.mapping;
  }
  let placeholders: Map<string, string[]> | undefined;
  if (args.placeholderFile) {
    const parsed = readAux(args.placeholderFile, parsePlaceholderFile, io);
    if (!parsed) return EXIT.usage;
    placeholders = parsed.values;
  }
  try {
    const { report, planned } = await benchRules(
      set,
      { mapping, fieldResolution: 'sigma', ...(placeholders ? { placeholders } : {}) },
      { inputs: args.inputs, top: args.top, grep: args.grep, noGrep: args.skipGrep, prefilterEngine: args.engine },
    );
    const shown = args.verbose ? planned.diagnostics : planned.diagnostics.filter((d) => d.severity === 'error');
    reportDiagnostics([...read.diagnostics, ...shown], set.sources, io);
    if (planned.plan.rules.length === 0) {
      io.stderr(`sigrep: no rule could be loaded from ${args.rules.join(', ')}\n`);
      return EXIT.usage;
    }
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderBenchReport(report, { top: args.top }));
    return report.issues.length > 0 || read.diagnostics.length > 0 ? EXIT.usage : EXIT.ok;
  } catch (e) {
    if (e instanceof BenchInputError) {
      io.stderr(`sigrep: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
