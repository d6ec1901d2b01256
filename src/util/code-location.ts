/**
 * Where sigrep's own files are. The same modules run from two layouts: tsc's tree (dist/src/**, one file per
 * module: what the library and the tests load) and esbuild's bundles (dist/bundle/<entry>.js, one file per
 * thread entry point: what the command line loads, because resolving and compiling ~150 small files cost a
 * cold start more than the scan of a small input). Paths that start threads or find the addon come from
 * here, so both layouts find the same code and the bundles never load a file of the other layout.
 */
import * as path from 'node:path';

/** Set by the bundler (src/build/bundle.ts) to the entry point's name; absent in tsc's tree. */
declare const SIGREP_BUNDLE: string | undefined;

/** Files loaded by path at run time: thread entry points and the module scan workers load. */
export type EntryPoint = 'cli' | 'scan-worker' | 'engine' | 'planner-worker';

/** Each entry point's module in tsc's tree, relative to dist/src. */
export const ENTRY_MODULES: Readonly<Record<EntryPoint, string>> = {
  cli: 'cli/main.js',
  'scan-worker': 'scan/worker-main.js',
  engine: 'engine/worker-entry.js',
  'planner-worker': 'api/planner-worker.js',
};

/** True when this code runs from a bundle. */
export const BUNDLED = typeof SIGREP_BUNDLE === 'string';

// This module is dist/src/util/code-location.js, or part of dist/bundle/<entry>.js.
const DIST = path.resolve(__dirname, BUNDLED ? '..' : '../..');

/** The directory of the running layout's code: dist/src or dist/bundle. */
export const CODE_DIR = path.join(DIST, BUNDLED ? 'bundle' : 'src');

/** The project root: package.json, native-bindings/. */
export const PROJECT_ROOT = path.dirname(DIST);

/** The file of an entry point in the running layout. */
export function entryPointFile(entry: EntryPoint): string {
  return BUNDLED ? path.join(CODE_DIR, `${entry}.js`) : path.join(CODE_DIR, ENTRY_MODULES[entry]);
}
