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

/** Async `grep -P -n` over a file, so several can run side by side. */
export function grepFileLineNumbers(pattern: string, file: string, caseInsensitive = true): Promise<GrepRun> {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('grep', ['-P', '-n', '-a', ...(caseInsensitive ? ['-i'] : []), '-e', pattern, file], {
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    const lines: number[] = [];
    let rest = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) {
        const colon = l.indexOf(':');
        if (colon > 0) lines.push(Number(l.slice(0, colon)));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ lines, status, stderr }));
  });
}

/** Runs tasks with at most `limit` in flight, keeping result order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
