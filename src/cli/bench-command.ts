/** `sigrep bench`: rules → one plan → profiled single-thread pass over a corpus → per-rule cost report (text or JSON). */
import { loadRuleSet } from '../api/rule-set';
import { benchRules, BenchInputError, renderBenchReport } from '../benchmark';
import type { PrefilterEngineChoice } from '../engine/line-prefilter';
import { readRuleFiles } from '../io/rule-files';
import { EXIT, type Io, reportDiagnostics } from './io';
import { planOptionsFromFlags } from './rule-options';

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

export async function runBench(args: BenchArgs, io: Io): Promise<number> {
  const planOptions = planOptionsFromFlags(args, io);
  if (!planOptions) return EXIT.usage;
  const read = readRuleFiles(args.rules);
  const set = loadRuleSet(read.files);
  try {
    const { report, planned } = await benchRules(
      set,
      planOptions,
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
