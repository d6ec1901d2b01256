/**
 * Build step after tsc: the command line's bundles in dist/bundle/, one per thread entry point
 * (util/code-location.ts lists them), each with a V8 code cache. Startup is what a scan of one rule over a
 * few hundred MB waits on: loading the ~150 modules of tsc's tree one by one cost ~60 ms of resolving and
 * compiling on a small machine; a bundle compiled from its cache costs a fraction. The library and the
 * tests keep loading tsc's tree, so both layouts are exercised.
 *
 * For each entry point: `<entry>.code.js` (esbuild's bundle), `<entry>.js` (a stub that runs it through
 * run-bundle.js), and `<entry>.cache`, written by a training run of the command line on the bundled rules
 * and sample corpus: on workers (the worker entry), then in this thread (the engine and the CLI, cached at
 * exit with every function they compiled).
 *
 *   node dist/src/build/bundle.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENTRY_MODULES, type EntryPoint } from '../util/code-location';
import { CODE_CACHE_ENV } from './run-bundle';

/**
 * Left to node_modules: native addons, and libraries only other commands load (yargs for the full command
 * line, benchmark.js for `sigrep bench`): inlining them would make every start parse them.
 */
const EXTERNAL = ['re2', 'yargs', 'yargs/*', 'benchmark'];

const RUNNER = 'run-bundle';

function main(): void {
  // This script is dist/src/build/bundle.js.
  const src = path.resolve(__dirname, '..');
  const out = path.resolve(src, '..', 'bundle');
  const root = path.resolve(src, '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.rmSync(out, { recursive: true, force: true });
  const build = (entry: string, outfile: string, define: Record<string, string>): void => {
    const result = esbuild.buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: EXTERNAL,
      define,
      logLevel: 'warning',
      legalComments: 'none',
    });
    if (result.errors.length > 0) throw new Error(`bundling ${entry} failed`);
  };
  build(path.join(src, 'build', `${RUNNER}.js`), path.join(out, `${RUNNER}.js`), {});
  for (const [entry, module] of Object.entries(ENTRY_MODULES) as [EntryPoint, string][]) {
    build(path.join(src, module), path.join(out, `${entry}.code.js`), { SIGREP_BUNDLE: JSON.stringify(entry) });
    fs.writeFileSync(path.join(out, `${entry}.js`), `'use strict';\nmodule.exports = require('./${RUNNER}.js').runBundle(__dirname, '${entry}', module);\n`);
  }
  train(root);
}

/** Runs the bundled command line so each bundle writes its code cache. A failed run leaves no cache: slower, still correct. */
function train(root: string): void {
  const bin = path.join(root, 'bin', 'sigrep.js');
  const sample = path.join(root, 'corpora', 'sample');
  const runs = [
    ['scan', '-r', path.join(root, 'rules'), '--no-plan-cache', '--threads', '1', '--format', 'count', sample],
    ['scan', '-r', path.join(root, 'rules'), '--no-plan-cache', '--format', 'count', path.join(sample, 'windows-sysmon.jsonl')],
  ];
  for (const args of runs) {
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, [CODE_CACHE_ENV]: 'write' }, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) {
      process.stderr.write(`sigrep bundle: warning: the code-cache training run failed (${r.status ?? r.signal}): ${r.stderr.slice(0, 500)}\n`);
    }
  }
}

main();
