/**
 * The `sigrep` command line: arguments → one command → its exit code. Exit codes: 0 success, 1 some rules
 * rejected (compile) or no detections (scan), 2 usage or I/O errors. A plain `scan` command line is read by
 * a small parser (fast-scan-args) and never loads yargs; every other command line, and every scan line that
 * parser does not fully understand, goes through yargs (parse-command-line), which also writes help and errors.
 * Command modules are loaded only when their command runs, so `scan` never loads the text-query backends and
 * `compile` never loads the scanner.
 */
import { fastScanArgs } from './fast-scan-args';
import { EXIT, processIo, type Io } from './io';
import type { Command } from './parse-command-line';

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const fast = fastScanArgs(argv);
  if (fast) return runCommand({ kind: 'scan', args: fast }, io);
  const parsed = await (await import('./parse-command-line')).parseCommandLine(argv);
  switch (parsed.kind) {
    case 'command':
      return runCommand(parsed.command, io);
    case 'usage':
      io.stderr(`sigrep: ${parsed.message}\n`);
      return EXIT.usage;
    case 'done':
      return EXIT.ok;
    default:
      return assertNever(parsed);
  }
}

async function runCommand(command: Command, io: Io): Promise<number> {
  switch (command.kind) {
    case 'scan':
      return (await import('./scan-command')).runScan(command.args, io);
    case 'events':
      return (await import('./events-command')).runEvents(command.args, io);
    case 'compile':
      return (await import('./compile-command')).runCompile(command.args, io);
    case 'bench':
      return (await import('./bench-command')).runBench(command.args, io);
    default:
      return assertNever(command);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
