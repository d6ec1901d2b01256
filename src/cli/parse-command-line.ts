/**
 * The command line as yargs sees it: flags declared once with their help, validated, and turned into the
 * typed arguments of one command. Nothing runs here; main() runs the command. Only owner of `yargs`.
 */
import { PLAN_CACHE_ENV } from '../io/plan-cache';
import yargs from 'yargs';
import { TARGETS, type Target } from '../api/targets';
import type { BenchArgs } from './bench-command';
import type { CompileArgs } from './compile-command';
import type { EventsArgs } from './events-command';
import type { ScanArgs } from './scan-command';

export type Command =
  | { readonly kind: 'scan'; readonly args: ScanArgs }
  | { readonly kind: 'events'; readonly args: EventsArgs }
  | { readonly kind: 'compile'; readonly args: CompileArgs }
  | { readonly kind: 'bench'; readonly args: BenchArgs };

export type ParsedCommandLine =
  | { readonly kind: 'command'; readonly command: Command }
  /** Bad usage; yargs has written nothing, the message is for stderr. */
  | { readonly kind: 'usage'; readonly message: string }
  /** --help or --version: yargs has printed it, nothing to run. */
  | { readonly kind: 'done' };

export async function parseCommandLine(argv: readonly string[]): Promise<ParsedCommandLine> {
  let command: Command | undefined;
  const parser = yargs([...argv])
    .scriptName('sigrep')
    .strict()
    .demandCommand(1, 'name a command: scan, compile, events, bench')
    .command(
      'scan [inputs..]',
      'scan log files (JSON lines, text, gzip) with many Sigma rules at once',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, default: [] as string[], describe: 'files, directories, globs; none or - for stdin' })
          // One value per -r (repeatable), so `-r rules logs/` leaves `logs/` as an input, as in grep's -e.
          .option('rules', { alias: 'r', type: 'string', nargs: 1, demandOption: true, describe: 'rule file or directory (repeat -r for more)' })
          .option('format', { choices: ['jsonl', 'table', 'count'] as const, describe: 'jsonl: one detection per line (default when stdout is not a terminal); table: rule × count (default on a terminal); count' })
          .option('files-with-matches', { alias: 'l', type: 'boolean', default: false, describe: 'print only the names of files with detections' })
          .option('threads', { type: 'number', describe: 'worker threads (default: one per core, counting the main thread when the rules are a few files; fewer for small files, none for plain files of 1 MiB in all)' })
          .option('mapping', { type: 'string', describe: 'logsource mapping file (YAML/JSON) replacing the bundled Windows mapping' })
          .option('logsource', { type: 'boolean', default: true, describe: 'apply each rule only to events of its logsource (--no-logsource: every rule sees every event)' })
          .option('engine', { choices: ['auto', 'js', 'native'] as const, default: 'auto' as const, describe: 'byte-level prefilter: the native addon or its JavaScript twin' })
          .option('placeholders', { type: 'string', describe: 'YAML/JSON map of placeholder name → values, for |expand' })
          .option('summary', { type: 'boolean', default: true, describe: 'print a closing summary on stderr' })
          .option('progress', { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal)' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show warnings about rules too' })
          .option('plan-cache', { type: 'boolean', default: true, describe: `keep the plan of a large rule set on disk so the next scan skips planning (in $${PLAN_CACHE_ENV}, default ~/.cache/sigrep)` })
          .check((a) => {
            if (a.threads !== undefined && (!Number.isInteger(a.threads) || a.threads < 1)) throw new Error('--threads takes a whole number of at least 1');
            return true;
          }),
      (a) => {
        command = {
          kind: 'scan',
          args: {
            rules: ([] as string[]).concat(a.rules),
            inputs: a.inputs,
            output: a.format,
            filesWithMatches: a['files-with-matches'],
            logsource: a.logsource,
            engine: a.engine,
            summary: a.summary,
            progress: a.progress,
            verbose: a.verbose,
            planCache: a['plan-cache'],
            ...(a.threads !== undefined ? { threads: a.threads } : {}),
            ...(a.mapping !== undefined ? { mappingFile: a.mapping } : {}),
            ...(a.placeholders !== undefined ? { placeholderFile: a.placeholders } : {}),
          },
        };
      },
    )
    .command(
      'events <inputs..>',
      'print the events of log files (EVTX, JSON lines, text, gzip) as JSON lines, as scan sees them',
      (y) => y.positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'files, directories, globs; - for stdin' }),
      (a) => {
        command = { kind: 'events', args: { inputs: a.inputs } };
      },
    )
    .command(
      'compile <rules..>',
      'compile Sigma rules to a grep -P one-liner (or explain their logic)',
      (y) =>
        y
          .positional('rules', { type: 'string', array: true, demandOption: true, describe: 'rule files or directories' })
          .option('target', { choices: TARGETS, default: 'grep' as Target, describe: 'grep: a grep -P one-liner; plan: the RE2-safe matcher plan (JSON); es-qs, xpack-watcher, graylog, splunk, logpoint: queries for those engines' })
          .option('dialect', { choices: ['default', 'sigmac'] as const, default: 'default' as const, describe: 'default: correct output; sigmac: byte-identical to legacy sigmac' })
          .option('fields', { choices: ['raw', 'json'] as const, default: 'raw' as const, describe: 'raw: search values anywhere in the line; json: only inside the field\'s JSON value' })
          .option('format', { choices: ['command', 'regex'] as const, default: 'command' as const, describe: 'a shell command line, or the bare pattern' })
          .option('explain', { type: 'boolean', default: false, describe: 'print the normalised boolean logic instead' })
          .option('placeholders', { type: 'string', describe: 'YAML/JSON map of placeholder name → values, for |expand' }),
      (a) => {
        command = {
          kind: 'compile',
          args: {
            paths: a.rules,
            options: { target: a.explain ? 'ir' : a.target, dialect: a.dialect, fields: a.fields, format: a.format },
            ...(a.placeholders !== undefined ? { placeholderFile: a.placeholders } : {}),
          },
        };
      },
    )
    .command(
      'bench <corpus..>',
      'measure what each rule costs on a corpus (one thread, profiled), with grep -P beside the slowest',
      (y) =>
        y
          .positional('corpus', { type: 'string', array: true, demandOption: true, describe: 'files, directories, globs (gzip is fine)' })
          .option('rules', { alias: 'r', type: 'string', nargs: 1, demandOption: true, describe: 'rule file or directory (repeat -r for more)' })
          .option('top', { type: 'number', default: 5, describe: 'how many of the slowest rules to list and to time with grep -P' })
          .option('grep', { type: 'string', nargs: 1, describe: 'rule id, title or file to time with grep -P instead of the slowest (repeatable)' })
          .option('skip-grep', { type: 'boolean', default: false, describe: 'do not run grep -P' })
          .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
          .option('mapping', { type: 'string', describe: 'logsource mapping file (YAML/JSON) replacing the bundled Windows mapping' })
          .option('logsource', { type: 'boolean', default: true, describe: 'apply each rule only to events of its logsource' })
          .option('engine', { choices: ['auto', 'js', 'native'] as const, default: 'auto' as const, describe: 'byte-level prefilter: the native addon or its JavaScript twin' })
          .option('placeholders', { type: 'string', describe: 'YAML/JSON map of placeholder name → values, for |expand' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show warnings about rules too' })
          .check((a) => {
            if (!Number.isInteger(a.top) || a.top < 0) throw new Error('--top takes a whole number');
            return true;
          }),
      (a) => {
        command = {
          kind: 'bench',
          args: {
            rules: ([] as string[]).concat(a.rules),
            inputs: a.corpus,
            top: a.top,
            grep: a.grep === undefined ? [] : ([] as string[]).concat(a.grep),
            skipGrep: a['skip-grep'],
            json: a.json,
            logsource: a.logsource,
            engine: a.engine,
            verbose: a.verbose,
            ...(a.mapping !== undefined ? { mappingFile: a.mapping } : {}),
            ...(a.placeholders !== undefined ? { placeholderFile: a.placeholders } : {}),
          },
        };
      },
    )
    .fail((msg, err) => {
      // Throwing stops yargs from running the command's handler after a validation failure.
      throw new UsageError(msg ?? err?.message ?? 'usage error');
    })
    .help()
    .version()
    .exitProcess(false);
  try {
    await parser.parseAsync();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { kind: 'usage', message: e.message };
  }
  return command ? { kind: 'command', command } : { kind: 'done' };
}

class UsageError extends Error {}
