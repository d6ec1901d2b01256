/**
 * The command line's bundles (src/build/bundle.ts) and their runner (src/build/run-bundle.ts): a bundle
 * runs as the module it replaces, a code cache is used only for the exact code it was made from, and the
 * bundled command line answers exactly as tsc's tree does, on the main thread, on workers and (with the
 * shared rules) in the planner worker.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_CACHE_ENV, runBundle } from '../../src/build/run-bundle';
import { ENTRY_MODULES, type EntryPoint } from '../../src/util/code-location';
import { PROJECT_ROOT, hasShared, sharedPath, MISSING_SHARED } from '../support/shared';

const BUNDLE_DIR = path.join(PROJECT_ROOT, 'dist', 'bundle');
const TREE_MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

/**
 * How a fresh process compiles the bundle `name` of `dir`: V8 keeps compiled scripts per isolate, so in
 * this process a source compiled before would never consult its cache.
 */
function cacheUseElsewhere(dir: string, name: string): string {
  const runner = path.join(PROJECT_ROOT, 'dist', 'src', 'build', 'run-bundle.js');
  const script = `process.stdout.write(require(${JSON.stringify(runner)}).compileBundle(${JSON.stringify(dir)}, ${JSON.stringify(name)}).cache)`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-bundle-'));
}

/** Runs `fn` with the training switch on, as the build's training run has it. */
function training<T>(fn: () => T): T {
  const before = process.env[CODE_CACHE_ENV];
  process.env[CODE_CACHE_ENV] = 'write';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[CODE_CACHE_ENV];
    else process.env[CODE_CACHE_ENV] = before;
  }
}

test('a bundle runs as a CommonJS module: exports, __dirname, __filename, require', (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'helper.js'), 'module.exports = 7;\n');
  fs.writeFileSync(
    path.join(dir, 'm.code.js'),
    "exports.dir = __dirname; exports.file = __filename; exports.sum = require('./helper') + require('node:path').sep.length;\n",
  );
  const got = runBundle(dir, 'm', module) as { dir: string; file: string; sum: number };
  t.is(got.dir, dir);
  t.is(got.file, path.join(dir, 'm.code.js'));
  t.is(got.sum, 8);
  t.false(fs.existsSync(path.join(dir, 'm.cache')), 'no cache is written outside the training run');
});

test('the code cache is written by the training run and used for the same code only', (t) => {
  const dir = tempDir();
  const code = path.join(dir, 'm.code.js');
  fs.writeFileSync(code, 'module.exports = function f(x) { return x + 1; };\n');
  t.is(cacheUseElsewhere(dir, 'm'), 'none');
  const f = training(() => runBundle(dir, 'm', module)) as (x: number) => number;
  t.is(f(1), 2);
  t.true(fs.existsSync(path.join(dir, 'm.cache')));
  t.is(cacheUseElsewhere(dir, 'm'), 'used');
  // Same length, other code, later time: V8 alone would take the old cache for it.
  fs.writeFileSync(code, 'module.exports = function f(x) { return x * 5; };\n');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(code, later, later);
  t.is(cacheUseElsewhere(dir, 'm'), 'stale');
  t.is((runBundle(dir, 'm', module) as (x: number) => number)(3), 15);
});

test('a damaged cache with a matching header is rejected by V8, and the code still runs', (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'm.code.js'), 'module.exports = 41 + 1;\n');
  training(() => runBundle(dir, 'm', module));
  const cacheFile = path.join(dir, 'm.cache');
  const bytes = fs.readFileSync(cacheFile);
  const head = bytes.indexOf(0x0a) + 1;
  for (let i = head; i < bytes.length; i++) bytes[i] = (bytes[i]! * 31 + 7) & 0xff;
  fs.writeFileSync(cacheFile, bytes);
  t.is(cacheUseElsewhere(dir, 'm'), 'rejected');
  t.is(runBundle(dir, 'm', module), 42);
});

test('the build made a stub, a bundle and (for the command line and the scan workers) a usable cache for each entry point', (t) => {
  if (!fs.existsSync(BUNDLE_DIR)) return t.fail(`${BUNDLE_DIR} is missing: npm test builds it (npm run build)`);
  for (const entry of Object.keys(ENTRY_MODULES) as EntryPoint[]) {
    t.true(fs.existsSync(path.join(BUNDLE_DIR, `${entry}.js`)), entry);
    t.true(fs.existsSync(path.join(BUNDLE_DIR, `${entry}.code.js`)), entry);
    t.true(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'src', ENTRY_MODULES[entry])), `${entry} in tsc's tree`);
  }
  for (const entry of ['cli', 'scan-worker', 'engine'] as const) t.is(cacheUseElsewhere(BUNDLE_DIR, entry), 'used', entry);
});

function runMain(mainModule: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `require(${JSON.stringify(mainModule)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
  return spawnSync(process.execPath, ['-e', script, '--', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
}

const runBundled = (args: readonly string[]) => runMain(path.join(BUNDLE_DIR, 'cli.js'), args);
const runTree = (args: readonly string[]) => runMain(TREE_MAIN, args);

function sameAnswer(t: import('ava').ExecutionContext, args: readonly string[]): void {
  const bundled = runBundled(args);
  const tree = runTree(args);
  t.is(bundled.status, tree.status, `${args.join(' ')}: ${bundled.stderr}`);
  t.is(bundled.stdout, tree.stdout, args.join(' '));
  t.not(bundled.stdout, '', args.join(' '));
}

const cacheDir = tempDir();
const SCAN = ['scan', '-r', 'rules', '--format', 'jsonl', '--no-summary', '--no-plan-cache'];

test('the bundled command line answers as the tree does: scan in this thread and on workers, compile', (t) => {
  process.env['SIGREP_CACHE_DIR'] = cacheDir;
  sameAnswer(t, [...SCAN, 'corpora/sample']);
  sameAnswer(t, [...SCAN, '--threads', '2', 'corpora/sample']);
  sameAnswer(t, ['compile', '--fields', 'json', 'rules/windows/sysmon/powershell_network_connections.yml']);
  sameAnswer(t, ['compile', '--target', 'plan', 'rules']);
  sameAnswer(t, ['compile', '--target', 'splunk', 'rules']);
});

test('the bundled planner worker plans a large rule set as the tree does', (t) => {
  const dirs = [sharedPath('conformance', 'sigmac', 'rules'), sharedPath('corpora', 'sigma-regression', 'rules')];
  if (!hasShared('conformance', 'sigmac', 'rules')) {
    t.log(MISSING_SHARED);
    return t.pass();
  }
  sameAnswer(t, ['scan', ...dirs.flatMap((d) => ['-r', d]), '--format', 'count', '--no-plan-cache', 'corpora/sample']);
});
