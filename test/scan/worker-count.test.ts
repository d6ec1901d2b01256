/** Sizing the worker pool from what is cheap to know about the inputs. */
import test from 'ava';
import * as zlib from 'node:zlib';
import { IN_THREAD_MAX_RULE_BYTES, fewRules, fitsOneChunk, usefulWorkers, workersReadFiles } from '../../src/scan/worker-count';
import { tempTree } from './helpers';

const dir = tempTree({
  'small.jsonl': '{"a":1}\n',
  'small2.log': 'x\n',
  'empty.log': '',
  'big.log': 'y'.repeat(99) + '\n'.repeat(1) + 'z\n'.repeat(150),
  'small.gz': zlib.gzipSync(Buffer.from('a\n')),
  'sub/a.log': 'a\n',
  'evtx.bin': Buffer.concat([Buffer.from('ElfFile\0'), Buffer.alloc(8)]),
});

test('plain files: about one worker per chunk, at least one, at most the limit', (t) => {
  const opts = { cwd: dir, chunkBytes: 100 };
  t.is(usefulWorkers(['small.jsonl'], 8, opts), 1);
  t.is(usefulWorkers(['small.jsonl', 'small2.log'], 8, opts), 2);
  t.is(usefulWorkers(['empty.log'], 8, opts), 1);
  t.is(usefulWorkers(['big.log'], 8, opts), 4); // 400 bytes
  t.is(usefulWorkers(['big.log'], 3, opts), 3);
  t.is(usefulWorkers(['missing.log', 'small.jsonl'], 8, opts), 1, 'a missing file is reported, not read');
  t.is(usefulWorkers(['small.jsonl'], 8, { cwd: dir }), 1, 'default chunk size');
});

test('what cannot be sized cheaply gets every worker allowed', (t) => {
  const opts = { cwd: dir, chunkBytes: 100 };
  t.is(usefulWorkers([], 6, opts), 6, 'stdin');
  t.is(usefulWorkers(['-'], 6, opts), 6, 'stdin');
  t.is(usefulWorkers(['small.gz'], 6, opts), 6, 'gzip: decoded size unknown');
  t.is(usefulWorkers(['evtx.bin'], 6, opts), 6, 'EVTX, by its magic');
  t.is(usefulWorkers(['sub'], 6, opts), 6, 'directory');
  t.is(usefulWorkers(['*.log'], 6, opts), 6, 'glob');
  t.is(usefulWorkers(['small.jsonl', 'sub'], 6, opts), 6);
});

test('one chunk in all: plain files whose sizes add up to at most a chunk', (t) => {
  const opts = { cwd: dir, chunkBytes: 100 };
  t.true(fitsOneChunk(['small.jsonl', 'small2.log', 'empty.log', 'missing.log'], opts));
  t.true(fitsOneChunk(['small.jsonl'], { cwd: dir }), 'default chunk size');
  t.false(fitsOneChunk(['big.log'], opts));
  t.true(fitsOneChunk(['big.log'], { cwd: dir, chunkBytes: 400 }));
  t.false(fitsOneChunk(['big.log'], { cwd: dir, chunkBytes: 399 }));
  for (const unknown of [[], ['-'], ['small.gz'], ['evtx.bin'], ['sub'], ['*.log'], ['small.jsonl', 'sub']]) t.false(fitsOneChunk(unknown, opts), unknown.join(' '));
});

test('workers read plain files themselves when they take every core, or are too many for one reader', (t) => {
  t.true(workersReadFiles(2, 2));
  t.true(workersReadFiles(4, 2));
  t.true(workersReadFiles(3, 8));
  t.false(workersReadFiles(1, 2), 'the main thread has a core to itself');
  t.false(workersReadFiles(2, 4));
});

test('few rules (the scanning thread may match beside its workers): rule files, not directories, up to a size', (t) => {
  const rules = tempTree({ 'a.yml': 'title: a\n', 'b.yml': 'title: b\n', 'big.yml': 'x'.repeat(IN_THREAD_MAX_RULE_BYTES), 'dir/c.yml': 'title: c\n' });
  t.true(fewRules(['a.yml'], { cwd: rules }));
  t.true(fewRules(['a.yml', 'b.yml'], { cwd: rules }));
  t.false(fewRules(['dir'], { cwd: rules }), 'a directory may hold thousands of rules');
  t.false(fewRules(['a.yml', 'dir'], { cwd: rules }));
  t.false(fewRules(['big.yml', 'a.yml'], { cwd: rules }), 'more rule text than the limit');
  t.false(fewRules(['missing.yml'], { cwd: rules }), 'a missing file is reported by the rule loader');
  t.false(fewRules([], { cwd: rules }));
});
