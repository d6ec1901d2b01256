/**
 * The `grep -P` side of a comparison: the same input as plain files (gzip inputs are decompressed to a
 * temporary directory once, so grep and the plan read the same bytes) and a timed `grep -P -i -c` run
 * of a rule's one-liner. Only here does sigrep bench start processes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

/** A grep run longer than this is stopped and reported (a one-liner can backtrack for a long time). */
export const GREP_TIMEOUT_MS = 10 * 60 * 1000;

export interface PlainInputs {
  readonly files: readonly string[];
  /** Removes the temporary copies, if any. */
  dispose(): void;
}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** The inputs as files grep can read: plain files as they are, gzip files decompressed to a temp dir. */
export async function plainInputs(files: readonly string[], cwd: string): Promise<PlainInputs> {
  let dir: string | undefined;
  const out: string[] = [];
  for (const [i, file] of files.entries()) {
    const full = path.resolve(cwd, file);
    if (!isGzip(full)) {
      out.push(full);
      continue;
    }
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-bench-'));
    const target = path.join(dir, `${i}-${path.basename(full).replace(/\.gz$/i, '')}`);
    await pipeline(fs.createReadStream(full), zlib.createGunzip(), fs.createWriteStream(target));
    out.push(target);
  }
  return {
    files: out,
    dispose: () => {
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type GrepRun = { readonly kind: 'ok'; readonly nanos: number; readonly count: number } | { readonly kind: 'failed'; readonly reason: string };

/** `grep -P -i -c -h PATTERN FILES...`: matching lines summed over the files, and the wall time (process start included). */
export function grepCount(pattern: string, files: readonly string[], options: { command?: string; timeoutMs?: number } = {}): GrepRun {
  const command = options.command ?? 'grep';
  const started = process.hrtime.bigint();
  const r = spawnSync(command, ['-P', '-i', '-c', '-h', '-e', pattern, '--', ...files], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? GREP_TIMEOUT_MS,
    maxBuffer: 1 << 24,
  });
  const nanos = Number(process.hrtime.bigint() - started);
  if (r.error) return { kind: 'failed', reason: `${command}: ${r.error.message}` };
  if (r.signal) return { kind: 'failed', reason: `${command} stopped by ${r.signal}${r.signal === 'SIGTERM' ? ' (timeout)' : ''}` };
  // Exit 1 is "no line selected"; 2 is an error (e.g. PCRE's backtracking limit), counts are then partial.
  if (r.status !== 0 && r.status !== 1) return { kind: 'failed', reason: `${command} exited with ${r.status}: ${r.stderr.trim().split('\n')[0] ?? ''}` };
  const count = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .reduce((n, l) => n + Number(l), 0);
  return { kind: 'ok', nanos, count };
}
