/**
 * `sigrep scan`: rules → one matcher plan → every input scanned on worker threads → detections and a summary.
 * The workers are spawned first and boot while this thread loads the compiler and plans the rules, so
 * the modules needed for planning are loaded only after that (dynamic imports below). An input of one
 * chunk in all is matched in this thread instead: a worker's startup would cost more than the matching.
 */
import { prepareScanThreads, type ScanThreads } from '../api/scan-workers';
import type { MatcherPlan } from '../plan/types';
import type { ScanSink } from '../scan/types';
import type { RuleNotLoaded } from '../scan/sinks';
import type { PrefilterEngineChoice } from '../engine/line-prefilter';
import { EXIT, type Io, reportDiagnostics } from './io';

export type ScanOutput = 'jsonl' | 'table' | 'count';

export interface ScanArgs {
  readonly rules: readonly string[];
  readonly inputs: readonly string[];
  readonly output: ScanOutput | undefined;
  readonly filesWithMatches: boolean;
  readonly threads?: number;
  readonly mappingFile?: string;
  readonly logsource: boolean;
  readonly engine: PrefilterEngineChoice;
  readonly placeholderFile?: string;
  readonly summary: boolean;
  readonly progress: boolean | undefined;
  /** Show every diagnostic of the rules (warnings included); by default only errors of rules not loaded. */
  readonly verbose: boolean;
  /** Keep a large rule set's plan on disk (src/io/plan-cache.ts) and reuse it. */
  readonly planCache: boolean;
}

/**
 * Loads and plans the rules (a large set in a short-lived worker, so the compiler's memory is gone before the scan);
 * what it returns is all the scan keeps.
 */
async function planRules(args: ScanArgs, io: Io): Promise<{ plan: MatcherPlan; notLoaded: RuleNotLoaded[] } | undefined> {
  const [{ planOptionsFromFlags }, { readRuleFiles }, { planRuleFiles }, { defaultPlanCacheDir }] = await Promise.all([
    import('./rule-options'),
    import('../io/rule-files'),
    import('../api/plan-off-thread'),
    import('../io/plan-cache'),
  ]);
  const planOptions = planOptionsFromFlags(args, io);
  if (!planOptions) return undefined;
  const read = readRuleFiles(args.rules);
  const planned = await planRuleFiles(read.files, { ...planOptions, ...(args.planCache ? { cacheDir: defaultPlanCacheDir() } : {}) });
  if (planned.cacheProblem !== undefined) io.stderr(`sigrep: warning: ${planned.cacheProblem}\n`);
  const shown = args.verbose ? planned.diagnostics : planned.diagnostics.filter((d) => d.severity === 'error');
  reportDiagnostics([...read.diagnostics, ...shown], new Map(planned.sources), io);
  if (args.verbose) for (const note of planned.notes) io.stderr(`note: ${note}\n`);
  else if (planned.notes.length > 0) {
    const n = planned.notes.length;
    io.stderr(`note: ${n} ${n === 1 ? 'rule has a logsource' : 'rules have logsources'} the mapping does not know: ${n === 1 ? 'it runs' : 'they run'} only on events of no known product (-v lists them)\n`);
  }
  if (planned.plan.rules.length === 0) {
    io.stderr(`sigrep: no rule could be loaded from ${args.rules.join(', ')}\n`);
    return undefined;
  }
  const notLoaded = [...planned.notLoaded, ...read.diagnostics.map((d) => ({ file: d.position?.file ?? '', reason: d.message }))];
  return { plan: planned.plan, notLoaded };
}

export async function runScan(args: ScanArgs, io: Io): Promise<number> {
  const threads = prepareScanThreads({ inputs: args.inputs, rules: args.rules, ...(args.threads !== undefined ? { threads: args.threads } : {}) });
  try {
    return await planAndScan(args, io, threads);
  } finally {
    // A no-op when the scan took the workers over.
    if (threads.kind === 'workers') await threads.workers.cancel();
  }
}

async function planAndScan(args: ScanArgs, io: Io, threads: ScanThreads): Promise<number> {
  const planned = await planRules(args, io);
  if (!planned) return EXIT.usage;
  const [{ scanWithPlan }, { exitStatus }, sinkModules] = await Promise.all([import('../api/plan-and-scan'), import('../scan/exit-status'), import('../scan/sinks')]);
  const { countSink, filesWithMatchesSink, issueSink, jsonlSink, progressSink, summarySink, tableSink } = sinkModules;
  const output: ScanOutput = args.output ?? (io.stdoutIsTty ? 'table' : 'jsonl');
  const sinks: ScanSink[] = [];
  if (args.filesWithMatches) sinks.push(filesWithMatchesSink(io.stdoutStream));
  else if (output === 'jsonl') sinks.push(jsonlSink(io.stdoutStream));
  else if (output === 'table') sinks.push(tableSink(io.stdoutStream));
  else sinks.push(countSink(io.stdoutStream, { mode: 'per-rule' }));
  sinks.push(issueSink(io.stderrStream));
  if (args.progress ?? io.stderrIsTty) sinks.push(progressSink(io.stderrStream as Parameters<typeof progressSink>[0]));
  if (args.summary) sinks.push(summarySink(io.stderrStream, { notLoaded: planned.notLoaded }));
  const summary = await scanWithPlan(planned.plan, {
    inputs: args.inputs,
    sinks,
    engine: { prefilterEngine: args.engine },
    ...(threads.kind === 'workers' ? { workers: threads.workers } : { mainThread: true }),
  });
  return exitStatus(summary);
}
