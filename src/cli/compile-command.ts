/** `sigrep compile`: rules → one result per rule on stdout, diagnostics on stderr. */
import { loadRuleSet } from '../api/rule-set';
import { convertRule, type ConvertOptions } from '../api/convert';
import { readRuleFiles } from '../io/rule-files';
import type { Diagnostic } from '../util/diagnostics';
import { EXIT, type Io, reportDiagnostics } from './io';
import { readPlaceholders } from './rule-options';

export interface CompileArgs {
  readonly paths: readonly string[];
  readonly options: Omit<ConvertOptions, 'placeholders'>;
  readonly placeholderFile?: string;
}

export function runCompile(args: CompileArgs, io: Io): number {
  const read = readRuleFiles(args.paths);
  const set = loadRuleSet(read.files);
  const diagnostics: Diagnostic[] = [...read.diagnostics, ...set.diagnostics];
  const fromFile = readPlaceholders(args.placeholderFile, io);
  if (!fromFile) return EXIT.usage;
  const placeholders = fromFile.values;
  const several = set.rules.length > 1;
  let rejected = 0;
  for (const r of set.rules) {
    const converted = convertRule(r, { ...args.options, ...(placeholders ? { placeholders } : {}) });
    diagnostics.push(...converted.diagnostics);
    if (converted.output === undefined) {
      rejected++;
      continue;
    }
    if (several) io.stdout(`# ${r.rule.title} (${r.rule.file})\n`);
    io.stdout(converted.output);
  }
  reportDiagnostics(diagnostics, set.sources, io);
  if (read.diagnostics.length > 0 && set.rules.length === 0) return EXIT.usage;
  const fileErrors = set.diagnostics.some((d) => d.severity === 'error');
  return rejected > 0 || fileErrors ? EXIT.someRejected : EXIT.ok;
}
