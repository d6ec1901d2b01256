/**
 * The layering of ARCHITECTURE.md, checked on every import of src/**: an edge between folders outside this
 * allow-list fails the test. Keeps the compiler core free of I/O and the workers free of the compiler.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/shared';

const SRC = path.join(PROJECT_ROOT, 'src');

/** Folder → folders it may import from (besides itself). `*` = anything in src. */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  plan: [],
  rule: ['util', 'ir'],
  ir: ['util', 'rule', 'regex'],
  regex: ['util', 'ir'],
  event: ['util', 'plan'],
  logsource: ['util', 'ir', 'rule', 'plan'],
  backends: ['util', 'ir', 'rule', 'regex', 'logsource', 'plan'],
  reference: ['util', 'ir', 'event', 'plan'],
  engine: ['util', 'plan', 'event'],
  evtx: ['util'],
  scan: ['util', 'engine', 'evtx'],
  io: ['util'],
  benchmark: ['*'],
  api: ['*'],
  cli: ['*'],
  build: ['util'],
};

/** Imports across layers that are allowed by name, each with the reason. */
const NAMED_EXCEPTIONS: Record<string, string> = {
  'ir -> regex/parse-regex': 'the `re` modifier rejects invalid regexes (pySigma does); the parser needs nothing from ir',
  'rule -> ir/types': 'Sigma strings parse into IR patterns (types only)',
  'rule -> ir/pattern': 'Sigma strings are normalised with the IR pattern helpers',
};

/** Rules for files, beyond folders: the engine and scanner never load node's fs/child_process from the compiler side. */
const NO_IO = ['util', 'rule', 'ir', 'regex', 'backends', 'plan', 'event', 'logsource', 'reference'];
const IO_MODULES = /^(node:)?(fs|child_process|worker_threads|net|http|https)$/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

test('imports between src folders follow the layering', (t) => {
  const violations: string[] = [];
  for (const file of files(SRC)) {
    const rel = path.relative(SRC, file);
    const folder = rel.includes(path.sep) ? rel.split(path.sep)[0]! : 'api';
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) {
        if (NO_IO.includes(folder) && IO_MODULES.test(spec)) violations.push(`${rel}: ${spec} (no I/O in the core)`);
        continue;
      }
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      const isFolder = fs.existsSync(path.join(SRC, target)) && fs.statSync(path.join(SRC, target)).isDirectory();
      const targetFolder = target.includes(path.sep) || isFolder ? target.split(path.sep)[0]! : 'api';
      if (targetFolder === folder) {
        // Backends never import each other.
        if (folder === 'backends' && target.split(path.sep)[1] !== rel.split(path.sep)[1]) violations.push(`${rel} -> ${target} (backends never import each other)`);
        continue;
      }
      const allowed = ALLOWED[folder] ?? [];
      const named = `${folder} -> ${target.replace(/\\/g, '/')}`;
      if (allowed.includes('*') || allowed.includes(targetFolder) && !(folder === 'ir' && targetFolder === 'regex') && !(folder === 'rule' && targetFolder === 'ir')) continue;
      if (NAMED_EXCEPTIONS[named]) continue;
      violations.push(`${rel} -> ${target}`);
    }
  }
  t.deepEqual(violations, []);
});

test('the checker sees real imports (it would notice a violation)', (t) => {
  const sample = "import { x } from '../scan/scan';\nexport { y } from './z';\nconst m = await import('./w');";
  t.deepEqual([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2]), ['../scan/scan', './z', './w']);
});
