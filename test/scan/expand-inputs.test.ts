import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandInputs } from '../../src/scan/expand-inputs';
import { tempTree } from './helpers';

const names = (entries: Awaited<ReturnType<typeof expandInputs>>): string[] =>
  entries.map((e) => (e.kind === 'file' ? e.path : e.kind === 'stdin' ? '-' : `issue:${e.issue.code}`));

test('files keep command-line order, directories are sorted, duplicates are dropped', async (t) => {
  const dir = tempTree({ 'd/b.log': 'x', 'd/a.log': 'x', 'd/sub/c.log': 'x', 'z.log': 'xy' });
  const entries = await expandInputs(['z.log', 'd', 'd/a.log', '-'], dir);
  t.deepEqual(names(entries), ['z.log', 'd/a.log', 'd/b.log', 'd/sub/c.log', '-']);
  t.deepEqual(entries[0], { kind: 'file', path: 'z.log', size: 2 });
  t.deepEqual(names(await expandInputs([], dir)), ['-']);
});

test('a symlink loop is walked once', async (t) => {
  const dir = tempTree({ 'd/a.log': 'x' });
  fs.symlinkSync(path.join(dir, 'd'), path.join(dir, 'd', 'loop'));
  t.deepEqual(names(await expandInputs(['d'], dir)), ['d/a.log']);
});

test('globs expand under their static base; absolute globs keep absolute names', async (t) => {
  const dir = tempTree({ 'logs/2024/a.gz': 'x', 'logs/2024/b.txt': 'x', 'logs/2025/c.gz': 'x' });
  t.deepEqual(names(await expandInputs(['logs/*/*.gz'], dir)), ['logs/2024/a.gz', 'logs/2025/c.gz']);
  t.deepEqual(names(await expandInputs([`${dir}/logs/**/?.txt`], '/')), [`${dir}/logs/2024/b.txt`]);
  t.deepEqual(names(await expandInputs(['logs/*.zip'], dir)), ['issue:NO_MATCHING_FILES']);
});
