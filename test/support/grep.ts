/** Running real GNU `grep -P` from tests, in a UTF-8 locale so PCRE works on characters, not bytes. */
import { spawnSync } from 'node:child_process';

export interface GrepRun {
  /** 1-based numbers of the matching lines. */
  readonly lines: number[];
  readonly status: number | null;
  readonly stderr: string;
}

export function grepLineNumbers(pattern: string, input: string | Buffer, caseInsensitive = true): GrepRun {
  const args = ['-P', '-n', '-a', ...(caseInsensitive ? ['-i'] : []), '-e', pattern];
  const r = spawnSync('grep', args, { input, env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 30 });
  const out = r.stdout?.toString('utf8') ?? '';
  const lines: number[] = [];
  for (const l of out.split('\n')) {
    const colon = l.indexOf(':');
    if (colon > 0) lines.push(Number(l.slice(0, colon)));
  }
  return { lines, status: r.status, stderr: r.stderr?.toString('utf8') ?? '' };
}

/** Runs a whole `grep ...` command line (as sigrep prints it) through sh over a file. */
export function runGrepCommand(command: string, file: string): GrepRun {
  const r = spawnSync('sh', ['-c', `${command} -n -a "$1"`, 'sh', file], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 30 });
  const out = r.stdout?.toString('utf8') ?? '';
  const lines = out
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => Number(l.slice(0, l.indexOf(':'))));
  return { lines, status: r.status, stderr: r.stderr?.toString('utf8') ?? '' };
}
