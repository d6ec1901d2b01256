/**
 * Line prefilter throughput: MB/s of the JS and native engines over the first 64 MB of a real Windows log
 * shard, with ~5,000 literals taken from the Sigma rules' values (JSON-escaped, as they occur in the log),
 * compared to `rg -c -i -F -f literals.txt` when ripgrep is installed. Each engine also runs with
 * `validateJson`, and the JSON check alone is compared to `JSON.parse` of every line (what it replaces).
 * Needs ../shared; prints figures only.
 *
 *   node dist/bench/prefilter.bench.js [--mb 64] [--literals 5000]
 */

import Benchmark from 'benchmark';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  createLinePrefilter,
  nativePrefilterAvailability,
  type FramedChunk,
  type LinePrefilter,
  type PrefilterEngineName,
} from '../src/engine/line-prefilter';

const ROOT = path.resolve(__dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared');
const SHARD = path.join(SHARED, 'corpora/real-windows/otrf-windows-000.jsonl.gz');
const RULES = path.join(SHARED, 'conformance/sigmac/rules/windows');
const MIN_LITERAL = 3;
const MAX_LITERAL = 60;

function argNumber(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Distinct literal runs of single-quoted detection values, JSON-escaped as they appear in JSON lines. */
function ruleLiterals(limit: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const file of yamlFiles(RULES)) {
    const text = fs.readFileSync(file, 'utf8');
    const detection = text.indexOf('\ndetection:');
    if (detection < 0) continue;
    for (const m of text.slice(detection).matchAll(/'((?:[^'\n]|'')+)'/g)) {
      const value = m[1]!.replace(/''/g, "'");
      for (const run of value.split(/[*?]/)) {
        const literal = JSON.stringify(run).slice(1, -1);
        const bytes = Buffer.byteLength(literal);
        const key = literal.toLowerCase();
        if (bytes < MIN_LITERAL || bytes > MAX_LITERAL || seen.has(key)) continue;
        seen.add(key);
        out.push(literal);
        if (out.length === limit) return out;
      }
    }
  }
  return out;
}

function loadCorpus(megabytes: number): Buffer {
  const all = zlib.gunzipSync(fs.readFileSync(SHARD));
  const cut = all.lastIndexOf(10, Math.min(all.length, megabytes * 1024 * 1024) - 1);
  return all.subarray(0, cut + 1);
}

function summary(r: FramedChunk): string {
  return `${r.lineCount} lines, ${r.candidateLines.length} candidates, ${r.hitLiterals.length} hits`;
}

function timeIt<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function ripgrep(corpus: Buffer, literals: readonly string[], mb: number): void {
  if (spawnSync('rg', ['--version']).status !== 0) {
    console.log('rg: not installed (apt-get install ripgrep), skipped');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-prefilter-'));
  try {
    const literalFile = path.join(dir, 'literals.txt');
    const corpusFile = path.join(dir, 'corpus.jsonl');
    fs.writeFileSync(literalFile, literals.join('\n') + '\n');
    fs.writeFileSync(corpusFile, corpus);
    const run = (): string =>
      execFileSync('rg', ['-c', '-i', '-F', '-f', literalFile, corpusFile], { maxBuffer: 1 << 20 }).toString().trim();
    run(); // warm the page cache
    let best = Infinity;
    let count = '';
    for (let i = 0; i < 5; i++) {
      const { value, ms } = timeIt(run);
      count = value;
      best = Math.min(best, ms);
    }
    console.log(`rg -c -i -F: ${(mb / (best / 1000)).toFixed(0)} MB/s (best of 5, ${best.toFixed(0)} ms, includes process start), ${count} matching lines`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What validateJson replaces: decode every line and JSON.parse it (best of 3 passes). */
function jsonParseBaseline(corpus: Buffer, mb: number): void {
  let best = Infinity;
  let valid = 0;
  let lines = 0;
  for (let pass = 0; pass < 3; pass++) {
    const { value, ms } = timeIt(() => {
      let ok = 0;
      let n = 0;
      let pos = 0;
      while (pos < corpus.length) {
        let nl = corpus.indexOf(10, pos);
        if (nl < 0) nl = corpus.length;
        n++;
        try {
          const v: unknown = JSON.parse(corpus.toString('utf8', pos, nl));
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) ok++;
        } catch {
          // counted as not valid
        }
        pos = nl + 1;
      }
      return [ok, n] as const;
    });
    [valid, lines] = value;
    best = Math.min(best, ms);
  }
  console.log(
    `toString + JSON.parse per line: ${(mb / (best / 1000)).toFixed(0)} MB/s, ${((best * 1000) / lines).toFixed(2)} µs/line ` +
      `(best of 3, ${best.toFixed(0)} ms); ${valid} of ${lines} lines valid JSON objects`,
  );
}

function main(): void {
  if (!fs.existsSync(SHARD) || !fs.existsSync(RULES)) {
    console.log(`shared corpus or rules not found under ${SHARED}; nothing to measure`);
    return;
  }
  const literalTarget = argNumber('literals', 5000);
  const corpus = loadCorpus(argNumber('mb', 64));
  const mb = corpus.length / (1024 * 1024);
  const literals = ruleLiterals(literalTarget);
  const encoded = literals.map((l) => new Uint8Array(Buffer.from(l, 'utf8')));
  console.log(`corpus: ${mb.toFixed(1)} MB of ${path.basename(SHARD)}; ${literals.length} literals from ${path.relative(SHARED, RULES)}`);

  const engines: PrefilterEngineName[] = ['js'];
  const native = nativePrefilterAvailability();
  if (native.kind === 'available') engines.push('native');
  else console.log(`native: unavailable (${native.reason})`);

  const prefilters = new Map<string, LinePrefilter>();
  const results = new Map<PrefilterEngineName, string>();
  const statuses = new Map<PrefilterEngineName, string>();
  for (const engine of engines) {
    const built = timeIt(() => createLinePrefilter(encoded, { engine }));
    prefilters.set(`${engine} frame`, built.value);
    const first = built.value.frame(corpus);
    results.set(engine, JSON.stringify([first.candidateLines, first.hitOffsets, first.hitLiterals].map((a) => Array.from(a))));
    console.log(`${engine}: built in ${built.ms.toFixed(0)} ms; ${summary(first)}`);
    const validating = createLinePrefilter(encoded, { engine, validateJson: true });
    prefilters.set(`${engine} frame + validateJson`, validating);
    prefilters.set(`${engine} frame, no literals + validateJson`, createLinePrefilter([], { engine, validateJson: true }));
    prefilters.set(`${engine} frame, no literals`, createLinePrefilter([], { engine }));
    const status = validating.frame(corpus).jsonStatus!;
    statuses.set(engine, Array.from(status).join(''));
    const valid = status.reduce((n, s) => n + (s === 1 ? 1 : 0), 0);
    console.log(`${engine}: jsonStatus ${valid} of ${status.length} lines valid JSON objects`);
  }
  if (results.size === 2) console.log(`js and native results identical: ${results.get('js') === results.get('native')}`);
  if (statuses.size === 2) console.log(`js and native jsonStatus identical: ${statuses.get('js') === statuses.get('native')}`);
  jsonParseBaseline(corpus, mb);

  const suite = new Benchmark.Suite('line prefilter');
  for (const [name, prefilter] of prefilters) {
    suite.add(name, () => {
      prefilter.frame(corpus);
    });
  }
  suite
    .on('cycle', (event: Benchmark.Event) => {
      const bench = event.target as unknown as Benchmark;
      const seconds = bench.stats.mean;
      // The fastest sample too: on a shared machine the mean mostly measures the neighbours.
      const fastest = Math.min(...bench.stats.sample);
      console.log(
        `${String(bench.name)}: ${(mb / seconds).toFixed(0)} MB/s mean, ${(mb / fastest).toFixed(0)} MB/s fastest ` +
          `(mean ${(seconds * 1000).toFixed(0)} ms ±${bench.stats.rme.toFixed(1)}%, ${bench.stats.sample.length} samples)`,
      );
    })
    .run({ async: false });

  ripgrep(corpus, literals, mb);
}

main();
