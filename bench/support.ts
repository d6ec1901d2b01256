/**
 * Shared by the micro benchmarks: a sample of real event lines (the first MB of the first real-windows
 * shard) or, without ../shared, of the seeded synthetic corpus; and one way of printing a suite's cycles.
 */
import Benchmark from 'benchmark';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { generateSynthetic } from '../corpora/synthetic/generate';

export const ROOT = path.resolve(__dirname, '../..');
export const SHARED = path.resolve(ROOT, '../shared');
const SHARD = path.join(SHARED, 'corpora/real-windows/otrf-windows-000.jsonl.gz');

export function argNumber(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export interface Sample {
  readonly source: string;
  /** Whole lines, each ending with a newline. */
  readonly bytes: Buffer;
  readonly lines: readonly string[];
}

/** About `megabytes` MB of whole event lines. */
export function sampleLines(megabytes: number): Sample {
  const want = Math.round(megabytes * 1e6);
  let bytes: Buffer;
  let source: string;
  if (fs.existsSync(SHARD)) {
    const compressed = fs.readFileSync(SHARD);
    const all = zlib.gunzipSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const cut = all.lastIndexOf(10, Math.min(all.length, want) - 1);
    bytes = all.subarray(0, cut + 1);
    source = `${path.basename(SHARD)} (first ${(bytes.length / 1e6).toFixed(1)} MB)`;
  } else {
    bytes = Buffer.from(generateSynthetic({ seed: 1, bytes: want }).text);
    source = `synthetic corpus, seed 1 (${(bytes.length / 1e6).toFixed(1)} MB; no ${SHARD})`;
  }
  const lines = bytes.toString('utf8').split('\n').filter((l) => l !== '');
  return { source, bytes, lines };
}

/** Runs a suite synchronously and prints each cycle: mean and fastest sample (the neighbours inflate the mean). */
export function runSuite(suite: Benchmark.Suite, unit: { name: string; per: number; mb?: number }): void {
  suite
    .on('cycle', (event: Benchmark.Event) => {
      const b = event.target as unknown as Benchmark;
      const mean = b.stats.mean;
      const fastest = Math.min(...b.stats.sample);
      const per = (s: number): string => {
        const ns = (s * 1e9) / unit.per;
        return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
      };
      console.log(
        `  ${String(b.name).padEnd(48)} ${per(mean).padStart(10)} per ${unit.name} mean, ${per(fastest).padStart(10)} fastest ` +
          `(±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} samples)` +
          (unit.mb !== undefined ? `, ${(unit.mb / fastest).toFixed(0)} MB/s fastest` : ''),
      );
    })
    .run({ async: false });
}

export function loadLine(): string {
  return `load ${require('node:os').loadavg()[0].toFixed(2)}`;
}
