/**
 * The `sigrep` command line: yargs wiring only. Each command validates its flags into typed options and
 * makes one library call; exit codes: 0 success, 1 some rules rejected (compile) or no detections (scan),
 * 2 usage or I/O errors.
 */
import yargs from 'yargs';
import { runCompile } from './compile-command';
import { EXIT, processIo, type Io } from './io';

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exit: number = EXIT.ok;
  const parser = yargs([...argv])
    .scriptName('sigrep')
    .strict()
    .demandCommand(1, 'name a command: compile')
    .command(
      'compile <rules..>',
      'compile Sigma rules to a grep -P one-liner (or explain their logic)',
      (y) =>
        y
          .positional('rules', { type: 'string', array: true, demandOption: true, describe: 'rule files or directories' })
          .option('target', { choices: ['grep'] as const, default: 'grep' as const, describe: 'output target' })
          .option('dialect', { choices: ['default', 'sigmac'] as const, default: 'default' as const, describe: 'default: correct output; sigmac: byte-identical to legacy sigmac' })
          .option('fields', { choices: ['raw', 'json'] as const, default: 'raw' as const, describe: 'raw: search values anywhere in the line; json: only inside the field\'s JSON value' })
          .option('format', { choices: ['command', 'regex'] as const, default: 'command' as const, describe: 'a shell command line, or the bare pattern' })
          .option('explain', { type: 'boolean', default: false, describe: 'print the normalised boolean logic instead' })
          .option('placeholders', { type: 'string', describe: 'YAML/JSON map of placeholder name → values, for |expand' }),
      (a) => {
        exit = runCompile(
          {
            paths: a.rules,
            options: { target: a.explain ? 'ir' : a.target, dialect: a.dialect, fields: a.fields, format: a.format },
            ...(a.placeholders !== undefined ? { placeholderFile: a.placeholders } : {}),
          },
          io,
        );
      },
    )
    .fail((msg, err) => {
      io.stderr(`sigrep: ${msg ?? err?.message ?? 'usage error'}\n`);
      exit = EXIT.usage;
    })
    .help()
    .version()
    .exitProcess(false);
  await parser.parseAsync();
  return exit;
}
