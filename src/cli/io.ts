/** Output plumbing shared by the CLI commands, injectable so commands can be tested without a process. */
import { formatDiagnostic, type Diagnostic } from '../util/diagnostics';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The same outputs as streams, for sinks that apply backpressure. */
  readonly stdoutStream: NodeJS.WritableStream;
  readonly stderrStream: NodeJS.WritableStream;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}

export const EXIT = { ok: 0, someRejected: 1, usage: 2 } as const;

export function processIo(): Io {
  // A closed pipe (`sigrep scan ... | head`) ends the output quietly, as it does for grep.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutStream: process.stdout,
    stderrStream: process.stderr,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
}

export function reportDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, io: Io): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d, (f) => sources.get(f))}\n`);
}
