/**
 * EVTX throughput on the shared sigma-regression corpus. Prints figures only.
 * 1. The decoder alone: records/s and MB/s (file bytes, and record bytes) for decodeEvtx, over several
 *    rounds after a warm-up.
 * 2. `sigrep scan` (scanWithPlan, worker threads) over every shared .evtx with all regression rules:
 *    records/s and MB/s of file bytes, worker start included (what a user waits for).
 * 3. The same scan over one large EVTX file (the corpus's chunks joined, repeated `--copies` times), the
 *    steady state where decoding is spread over the workers, next to the same events as JSON lines.
 *
 * Run: npx tsc -p . && node dist/bench/evtx-throughput.js [rounds] [--copies 20] [--threads N] [--scan-only]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadRuleSet, planRuleSet, scanWithPlan } from '../src/api';
import { decodeEvtx, listEvtxChunks } from '../src/evtx';
import { readRuleFiles } from '../src/io/rule-files';
import { WINDOWS_MAPPING } from '../src/logsource/mapping';
import type { MatcherPlan } from '../src/plan/types';
import type { ScanSummary } from '../src/scan';

const CORPUS = path.resolve(__dirname, '../..', '../shared/corpora/sigma-regression');
const DIR = path.join(CORPUS, 'evtx');

function argNumber(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Bytes of event records (chunk header to free-space offset): what is really decoded. */
function recordBytes(f: Uint8Array): number {
  let n = 0;
  for (let o = 4096; o + 512 <= f.length; o += 65536) n += Math.max(0, new DataView(f.buffer, f.byteOffset).getUint32(o + 48, true) - 512);
  return n;
}

function measureDecode(label: string, set: readonly Uint8Array[], rounds: number): void {
  const round = (): number => set.reduce((n, f) => n + decodeEvtx(f).events.length, 0);
  for (let i = 0; i < 5; i++) round();
  const start = process.hrtime.bigint();
  let records = 0;
  for (let i = 0; i < rounds; i++) records += round();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const fileBytes = set.reduce((n, f) => n + f.length, 0) * rounds;
  const dataBytes = set.reduce((n, f) => n + recordBytes(f), 0) * rounds;
  console.log(
    `decode, ${label}: ${set.length} files, ${records / rounds} records per round, ${rounds} rounds: ` +
      `${Math.round(records / seconds)} records/s, ${(dataBytes / 1e6 / seconds).toFixed(1)} MB/s of record data, ` +
      `${(fileBytes / 1e6 / seconds).toFixed(1)} MB/s of file bytes`,
  );
}

export interface ScanFigures {
  readonly label: string;
  readonly records: number;
  readonly bytes: number;
  readonly detections: number;
  /** Median over the rounds, worker start included. */
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly megabytesPerSecond: number;
}

/** Scans `inputs` `rounds` times; figures from the median round. */
export async function measureScan(label: string, plan: MatcherPlan, inputs: readonly string[], rounds: number, threads?: number): Promise<ScanFigures> {
  const runs: ScanSummary[] = [];
  for (let i = 0; i < rounds + 1; i++) {
    const summary = await scanWithPlan(plan, { inputs, ...(threads !== undefined ? { threads } : {}) });
    if (!summary.ok) throw new Error(`${label}: the scan reported errors: ${JSON.stringify(summary.issues.slice(0, 3))}`);
    if (i > 0) runs.push(summary); // the first round warms the file cache
  }
  runs.sort((a, b) => a.elapsedMs - b.elapsedMs);
  const median = runs[Math.floor(runs.length / 2)] as ScanSummary;
  const seconds = median.elapsedMs / 1000;
  return {
    label,
    records: median.lines.evaluated,
    bytes: median.bytes.read,
    detections: median.detections,
    seconds,
    recordsPerSecond: median.lines.evaluated / seconds,
    megabytesPerSecond: median.bytes.read / 1e6 / seconds,
  };
}

function printScan(f: ScanFigures): void {
  console.log(
    `scan, ${f.label}: ${f.records} events, ${(f.bytes / 1e6).toFixed(1)} MB, ${f.detections} detections in ${(f.seconds * 1000).toFixed(0)} ms ` +
      `(median): ${Math.round(f.recordsPerSecond)} events/s, ${f.megabytesPerSecond.toFixed(1)} MB/s`,
  );
}

/** The corpus's chunk blocks joined into one file, `copies` times over, and its events as JSON lines. */
function largeInputs(files: readonly Uint8Array[], copies: number, dir: string): { evtx: string; jsonl: string } {
  const blocks = files.flatMap((f) => listEvtxChunks(f).filter((c) => c.length === 65536).map((c) => f.subarray(c.offset, c.offset + c.length)));
  const header = (files[0] as Uint8Array).subarray(0, 4096);
  const evtx = path.join(dir, 'large.evtx');
  const jsonl = path.join(dir, 'large.jsonl');
  const fd = fs.openSync(evtx, 'w');
  fs.writeSync(fd, header);
  for (let i = 0; i < copies; i++) for (const b of blocks) fs.writeSync(fd, b);
  fs.closeSync(fd);
  const lines = files.flatMap((f) => decodeEvtx(f).events.map((e) => JSON.stringify(e))).join('\n') + '\n';
  fs.writeFileSync(jsonl, lines.repeat(copies));
  return { evtx, jsonl };
}

async function main(): Promise<void> {
  if (!fs.existsSync(DIR)) {
    console.error(`no corpus at ${DIR}`);
    process.exit(1);
  }
  const names = fs.readdirSync(DIR).filter((f) => f.endsWith('.evtx')).sort();
  const files = names.map((f) => new Uint8Array(fs.readFileSync(path.join(DIR, f))));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  const rounds = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 50;
  const copies = argNumber('copies', 20);
  const threads = process.argv.includes('--threads') ? argNumber('threads', os.availableParallelism()) : undefined;
  console.log(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB; ${os.availableParallelism()} cores`);

  if (!process.argv.includes('--scan-only')) {
    measureDecode('all files (mostly 1 record per chunk: template parse dominates)', files, rounds);
    // Files with several records per chunk show the steady state, where templates come from the chunk cache.
    measureDecode('multi-record files', files.filter((f) => decodeEvtx(f).events.length > 2), rounds);
  }

  const ruleFiles = readRuleFiles([path.join(CORPUS, 'rules')]);
  const planned = planRuleSet(loadRuleSet(ruleFiles.files), { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
  console.log(`rules: ${planned.plan.rules.length} loaded, ${planned.notLoaded.length} not loaded`);
  const scanRounds = Math.max(3, Math.min(9, Math.round(rounds / 5)));
  printScan(await measureScan(`the ${files.length} corpus .evtx files`, planned.plan, [DIR], scanRounds, threads));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-evtx-bench-'));
  try {
    const large = largeInputs(files, copies, tmp);
    printScan(await measureScan(`one large .evtx (corpus chunks × ${copies})`, planned.plan, [large.evtx], scanRounds, threads));
    printScan(await measureScan(`the same events as JSON lines`, planned.plan, [large.jsonl], scanRounds, threads));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
