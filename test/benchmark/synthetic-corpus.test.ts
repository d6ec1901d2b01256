import test from 'ava';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRandom, generateSynthetic, PLANTED_RULES, writeSynthetic } from '../../corpora/synthetic/generate';
import { BUNDLED_RULES, scanCounts, smallCorpus, tempFile } from './helpers';

const sha = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');

test('the same seed gives the same bytes; another seed gives other bytes', (t) => {
  const a = generateSynthetic({ seed: 42, events: 1500 });
  const b = generateSynthetic({ seed: 42, events: 1500 });
  const c = generateSynthetic({ seed: 43, events: 1500 });
  t.is(sha(a.text), sha(b.text));
  t.not(sha(a.text), sha(c.text));
  t.deepEqual(a.summary, b.summary);
});

test('the file writer writes the same bytes as the in-memory generator', (t) => {
  const file = tempFile('written.jsonl', '');
  const summary = writeSynthetic(file, { seed: 9, events: 3000 });
  const mem = generateSynthetic({ seed: 9, events: 3000 });
  t.is(sha(fs.readFileSync(file)), sha(mem.text));
  t.deepEqual(summary, mem.summary);
  t.is(summary.bytes, fs.statSync(file).size);
});

test('the PRNG is deterministic and spreads nearby seeds', (t) => {
  const r1 = createRandom(1);
  const r1b = createRandom(1);
  const r2 = createRandom(2);
  const xs = Array.from({ length: 5 }, () => r1());
  t.deepEqual(xs, Array.from({ length: 5 }, () => r1b()));
  t.notDeepEqual(xs, Array.from({ length: 5 }, () => r2()));
  for (const x of xs) t.true(x >= 0 && x < 1);
});

test('an events size is exact, planted ones included; a bytes size is reached with whole lines', (t) => {
  const byEvents = generateSynthetic({ seed: 5, events: 800, plantedPerRule: 4 });
  t.is(byEvents.text.split('\n').length - 1, 800);
  t.is(byEvents.summary.events, 800);
  for (const rule of PLANTED_RULES) t.is(byEvents.summary.planted[rule], 4);
  const byBytes = generateSynthetic({ seed: 5, bytes: 500_000 });
  t.true(byBytes.summary.bytes >= 500_000);
  t.is(Buffer.byteLength(byBytes.text), byBytes.summary.bytes);
  t.true(byBytes.text.endsWith('}\n'));
  // Every line is a JSON object with the flat shape's key fields.
  for (const line of byBytes.text.split('\n').slice(0, 200).filter(Boolean)) {
    const e = JSON.parse(line) as Record<string, unknown>;
    t.is(typeof e.Channel, 'string');
    t.is(typeof e.EventID, 'number');
    t.is(typeof e.Message, 'string');
  }
});

test('planted events survive a corpus smaller than the plan: they all come out', (t) => {
  const tiny = generateSynthetic({ seed: 1, events: 3, plantedPerRule: 2 });
  t.is(tiny.summary.events, 10);
  for (const rule of PLANTED_RULES) t.is(tiny.summary.planted[rule], 2);
});

test('sigrep scan with the bundled rules finds exactly the planted events, and nothing for the SSH rule', async (t) => {
  const corpus = smallCorpus(11, 6000);
  const counts = await scanCounts([BUNDLED_RULES], [corpus.plain]);
  for (const rule of PLANTED_RULES) t.is(counts.get(rule) ?? 0, corpus.summary.planted[rule], rule);
  for (const title of corpus.summary.notPlanted) t.is(counts.get(title) ?? 0, 0, title);
});
