/** Test helper: run real `grep -P` over many lines at once and return the 0-based indexes that matched. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir: string | undefined;

export function grepAvailable(): boolean {
  try {
    execFileSync('grep', ['-P', 'x'], { input: 'x\n', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    return true;
  } catch {
    return false;
  }
}

export function grepMatches(pattern: string, lines: readonly string[]): Set<number> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-regex-'));
  const file = path.join(dir, 'lines.txt');
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  let out = '';
  try {
    out = execFileSync('grep', ['-P', '-a', '-n', '-e', pattern, file], {
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
      maxBuffer: 64 * 1024 * 1024,
    }).toString('utf8');
  } catch (e) {
    const err = e as { status?: number; stderr?: Buffer };
    if (err.status !== 1) throw new Error(`grep -P failed (${err.status}): ${err.stderr?.toString()} for ${pattern}`);
  }
  const hits = new Set<number>();
  for (const line of out.split('\n')) {
    const m = /^(\d+):/.exec(line);
    if (m) hits.add(Number(m[1]) - 1);
  }
  return hits;
}

/** Python json.dumps' default ensure_ascii: every non-ASCII UTF-16 unit as \uXXXX. */
export function jsonEnsureAscii(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
