/** The rule-related flags shared by `scan`, `bench` and `compile`: mapping and placeholder files, read and checked once. */
import { readTextFile } from '../io/rule-files';
import { parseMappingFile } from '../logsource/mapping-file';
import { WINDOWS_MAPPING, type LogsourceMapping } from '../logsource/mapping';
import { parsePlaceholderFile } from '../rule/placeholder-file';
import { hasErrors, type Diagnostic } from '../util/diagnostics';
import type { RulePlanOptions } from '../api/plan-and-scan';
import { type Io, reportDiagnostics } from './io';

export interface RuleFlags {
  readonly logsource: boolean;
  readonly mappingFile?: string;
  readonly placeholderFile?: string;
}

/** Reads a side file with its parser; problems are reported (with the file's text for excerpts) and give undefined. */
export function readSideFile<T>(file: string, parse: (file: string, text: string) => { diagnostics: Diagnostic[] } & T, io: Io): T | undefined {
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

export function readPlaceholders(file: string | undefined, io: Io): { values?: Map<string, string[]> } | undefined {
  if (file === undefined) return {};
  const parsed = readSideFile(file, parsePlaceholderFile, io);
  return parsed ? { values: parsed.values } : undefined;
}

/** The plan options the flags ask for; undefined when a file could not be used (already reported). */
export function planOptionsFromFlags(flags: RuleFlags, io: Io): RulePlanOptions | undefined {
  let mapping: LogsourceMapping | null = flags.logsource ? WINDOWS_MAPPING : null;
  if (flags.logsource && flags.mappingFile) {
    const parsed = readSideFile(flags.mappingFile, parseMappingFile, io);
    if (!parsed?.mapping) return undefined;
    mapping = parsed.mapping;
  }
  const placeholders = readPlaceholders(flags.placeholderFile, io);
  if (!placeholders) return undefined;
  return { mapping, fieldResolution: 'sigma', ...(placeholders.values ? { placeholders: placeholders.values } : {}) };
}
