/**
 * A cache of planned rule sets on disk, so scanning again with the same rules skips planning (seconds for
 * a SigmaHQ-sized set: YAML parsing, compilation, RE2 checks). An entry is keyed by a hash of everything
 * planning reads: each rule file's path and text, the planning options, and the compiler itself (the size
 * and modification time of every compiled module), so an edited rule or a rebuilt sigrep never reuses an
 * old plan. Entries are written atomically; an unreadable or damaged entry is ignored and replaced.
 */
import type { Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_DIR } from '../util/code-location';

/** Environment variable naming the cache directory (default: $XDG_CACHE_HOME/sigrep or ~/.cache/sigrep). */
export const PLAN_CACHE_ENV = 'SIGREP_CACHE_DIR';
const ENTRY_FORMAT = 'sigrep-plan-cache-1';
/** Entries kept: the most recently used; each rule set a user scans with costs one (a few MB for SigmaHQ). */
export const PLAN_CACHE_ENTRIES = 8;

export function defaultPlanCacheDir(): string {
  const fromEnv = process.env[PLAN_CACHE_ENV];
  if (fromEnv) return fromEnv;
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'sigrep');
}

let compilerStamp: string | undefined;

/** node:crypto is loaded only when a key is made: a scan of a small rule set never needs it (~5 ms of start-up). */
function sha256(): Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
}

/** Sizes and times of the running code (dist/src or dist/bundle): changes whenever sigrep is rebuilt. */
function stampOfCompiler(): string {
  if (compilerStamp !== undefined) return compilerStamp;
  const root = CODE_DIR;
  const hash = sha256();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js') || entry.name.endsWith('.json')) {
        const st = fs.statSync(p);
        hash.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return (compilerStamp = hash.digest('hex'));
}

/** The cache key of planning `files` with `options` (any JSON-serialisable planning input). */
export function planCacheKey(files: readonly { readonly file: string; readonly text: string }[], options: unknown): string {
  const hash = sha256();
  hash.update(`${ENTRY_FORMAT}\0${stampOfCompiler()}\0${JSON.stringify(options)}\0`);
  for (const f of files) hash.update(`${f.file.length}:${f.file}${f.text.length}:${f.text}`);
  return hash.digest('hex');
}

/** The cached value under `key`, or undefined when there is none or it cannot be read. */
export function readPlanCache<T>(dir: string, key: string): T | undefined {
  try {
    const file = path.join(dir, `${key}.json`);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; key?: unknown; value?: T };
    if (entry.format !== ENTRY_FORMAT || entry.key !== key) return undefined;
    const now = new Date();
    fs.utimesSync(file, now, now); // recently used: kept by the pruning
    return entry.value;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `key`; returns the reason when it cannot (the scan goes on without the cache). */
export function writePlanCache(dir: string, key: string, value: unknown): string | undefined {
  const file = path.join(dir, `${key}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify({ format: ENTRY_FORMAT, key, value }));
    fs.renameSync(tmp, file);
    prune(dir);
    return undefined;
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was written there
    }
    return (e as Error).message;
  }
}

/** Removes all but the PLAN_CACHE_ENTRIES most recently used entries. */
function prune(dir: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((n) => /^[0-9a-f]{64}\.json$/.test(n))
    .map((n) => ({ file: path.join(dir, n), used: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const e of entries.slice(PLAN_CACHE_ENTRIES)) fs.rmSync(e.file, { force: true });
}
