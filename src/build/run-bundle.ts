/**
 * Runs a bundle of dist/bundle as a CommonJS module, compiled with the V8 code cache the build made for it
 * (`<name>.cache` beside `<name>.code.js`): with it, V8 skips parsing and compiling what the training run
 * compiled (about 25 ms of a cold scan's start, measured). The cache is used only when its header names
 * the code file's exact size and modification time, since V8 itself checks little more than the source
 * length; a missing, stale or rejected cache costs time, never correctness.
 *
 * The build writes the caches by running sigrep with SIGREP_CODE_CACHE=write (src/build/bundle.ts).
 */
import * as fs from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import * as vm from 'node:vm';

/** Environment switch of the build's training run. */
export const CODE_CACHE_ENV = 'SIGREP_CODE_CACHE';

const MAGIC = 'sigrep-code-cache-1';

interface CodeFile {
  readonly source: string;
  /** What the cache header must say: the code file's size and modification time. */
  readonly stamp: string;
}

function readCode(file: string): CodeFile {
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    return { source: fs.readFileSync(fd, 'utf8'), stamp: `${MAGIC} ${st.size} ${st.mtimeMs}\n` };
  } finally {
    fs.closeSync(fd);
  }
}

/** The cache's V8 data when its header matches `stamp`. */
function readCache(file: string, stamp: string): Buffer | 'none' | 'stale' {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return 'none';
  }
  const head = Buffer.byteLength(stamp, 'latin1');
  return bytes.length > head && bytes.toString('latin1', 0, head) === stamp ? bytes.subarray(head) : 'stale';
}

function writeCache(file: string, stamp: string, script: vm.Script): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()]));
  fs.renameSync(tmp, file);
}

/** How a bundle was compiled: from its cache, or not and why. */
export type CacheUse = 'used' | 'none' | 'stale' | 'rejected';

export interface CompiledBundle {
  readonly file: string;
  readonly script: vm.Script;
  readonly cache: CacheUse;
  /** Writes the bundle's cache from what the script has compiled so far. */
  writeCache(): void;
}

/** Compiles `<dir>/<name>.code.js` (wrapped as a CommonJS module) with its cache when that matches. */
export function compileBundle(dir: string, name: string): CompiledBundle {
  const file = path.join(dir, `${name}.code.js`);
  const cacheFile = path.join(dir, `${name}.cache`);
  const code = readCode(file);
  const cached = readCache(cacheFile, code.stamp);
  const cachedData = typeof cached === 'string' ? undefined : cached;
  const script = new vm.Script(Module.wrap(code.source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cache: CacheUse = cached === 'none' || cached === 'stale' ? cached : script.cachedDataRejected ? 'rejected' : 'used';
  return { file, script, cache, writeCache: () => writeCache(cacheFile, code.stamp, script) };
}

/** Loads `<dir>/<name>.code.js` as a module whose parent is `parent`; returns its exports. */
export function runBundle(dir: string, name: string, parent: NodeJS.Module): unknown {
  const { file, script, writeCache: write } = compileBundle(dir, name);
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dir);
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dir);
  mod.loaded = true;
  if (process.env[CODE_CACHE_ENV] === 'write') {
    // Now (all a worker may get: terminated workers run no exit handlers) and at exit, when the run has
    // compiled every function it used.
    write();
    process.once('exit', write);
  }
  return mod.exports;
}
