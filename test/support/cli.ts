/** Running the CLI in-process with captured output. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { PLAN_CACHE_ENV } from '../../src/io/plan-cache';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';

// Tests never read or fill the user's plan cache.
process.env[PLAN_CACHE_ENV] ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-test-cache-'));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: readonly string[], options: { stdoutIsTty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  err.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutStream: out,
    stderrStream: err,
    stdoutIsTty: options.stdoutIsTty ?? false,
    stderrIsTty: false,
  };
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout, stderr };
}
