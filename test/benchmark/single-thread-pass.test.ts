/**
 * The benchmark's single-thread pass reads a plain file straight into reused chunk buffers, and a gzip file
 * through a stream: both must count every line and find what the scanner finds, whatever the chunk size.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { loadRuleSet, planRuleSet } from '../../src/api';
import { singleThreadPass } from '../../src/benchmark/single-thread-pass';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { BUNDLED_RULES, scanCounts, smallCorpus, tempFile } from './helpers';

test('plain (read into reused buffers) and gzip (streamed) passes count the same lines and find what the scanner finds', async (t) => {
  const corpus = smallCorpus(33, 3000);
  // A byte-order mark, CRLF on some lines, blank lines, and no newline after the last line.
  const lines = fs.readFileSync(corpus.plain, 'utf8').split('\n').filter(Boolean);
  const text = '\ufeff' + lines.map((l, i) => (i % 7 === 0 ? `${l}\r\n` : i % 11 === 0 ? `${l}\n\n` : `${l}\n`)).join('').replace(/\n$/, '');
  const plain = tempFile('pass/odd.jsonl', text);
  const gzip = tempFile('pass/odd.jsonl.gz', zlib.gzipSync(Buffer.from(text)));
  const plan = planRuleSet(loadRuleSet(readRuleFiles([BUNDLED_RULES]).files), { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' }).plan;
  const counts = await scanCounts([BUNDLED_RULES], [plain]);
  const blank = lines.filter((_, i) => i % 11 === 0 && i % 7 !== 0).length;
  const runs = [
    { file: plain, chunkBytes: 4096 },
    { file: plain, chunkBytes: undefined },
    { file: gzip, chunkBytes: 4096 },
  ];
  for (const { file, chunkBytes } of runs) {
    const r = await singleThreadPass(plan, [file], { profile: true, cwd: process.cwd(), ...(chunkBytes ? { chunkBytes } : {}) });
    const what = `${file.endsWith('.gz') ? 'gzip' : 'plain'}, chunks of ${chunkBytes ?? 'default'} bytes`;
    t.deepEqual(r.issues, [], what);
    t.is(r.lines, lines.length + blank, `${what}: every line`);
    t.is(r.emptyLines, blank, what);
    t.is(r.events, lines.length, what);
    t.is(r.bytes, Buffer.byteLength(text), `${what}: every byte, the byte-order mark included`);
    plan.rules.forEach((rule, i) => t.is(r.detectionsPerRule[i], counts.get(rule.title) ?? 0, `${what}: ${rule.title}`));
  }
  t.true([...counts.values()].some((n) => n > 0), 'the corpus has detections to compare');
});
