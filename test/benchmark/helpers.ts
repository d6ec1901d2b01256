/** Helpers of the benchmark tests: temporary files, a generated corpus, and the CLI run with captured output. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { generateSynthetic, type SyntheticSummary } from '../../corpora/synthetic/generate';

/** Project root from dist/test/benchmark/. */
export const ROOT = path.resolve(__dirname, '../../..');
export const BUNDLED_RULES = path.join(ROOT, 'rules');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-bench-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

export function tempFile(name: string, content: string | Uint8Array): string {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

export interface SmallCorpus {
  readonly plain: string;
  readonly gzip: string;
  readonly summary: SyntheticSummary;
}

/** A small generated corpus, plain and gzip, written once per seed and size. */
export function smallCorpus(seed: number, events: number): SmallCorpus {
  const { text, summary } = generateSynthetic({ seed, events, plantedPerRule: 3 });
  const plain = tempFile(`corpus-${seed}-${events}.jsonl`, text);
  const gzip = tempFile(`corpus-${seed}-${events}.jsonl.gz`, zlib.gzipSync(text));
  return { plain, gzip, summary };
}

function sink(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      into.push(chunk.toString());
      done();
    },
  });
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sigrep ARGS` in-process, as the CLI does, with stdout and stderr captured. */
export async function sigrep(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdoutStream: sink(out),
    stderrStream: sink(err),
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** `sigrep scan --format count` → detections per rule title. */
export async function scanCounts(rules: readonly string[], inputs: readonly string[]): Promise<Map<string, number>> {
  const r = await sigrep(['scan', ...rules.flatMap((x) => ['-r', x]), '--format', 'count', '--no-summary', ...inputs]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`sigrep scan failed (${r.code}): ${r.stderr}`);
  const counts = new Map<string, number>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [n, , title] = line.split('\t');
    counts.set(title!, (counts.get(title!) ?? 0) + Number(n));
  }
  return counts;
}
