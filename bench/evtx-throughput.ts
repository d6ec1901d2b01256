/**
 * EVTX decoder throughput on the shared corpus: records/s and MB/s (file bytes) for decodeEvtx, over
 * several rounds after a warm-up. Run: npx tsc -p . && node dist/bench/evtx-throughput.js [rounds]
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeEvtx } from '../src/evtx';

const dir = path.resolve(__dirname, '../..', '../shared/corpora/sigma-regression/evtx');
if (!fs.existsSync(dir)) {
  console.error(`no corpus at ${dir}`);
  process.exit(1);
}
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.evtx')).map((f) => new Uint8Array(fs.readFileSync(path.join(dir, f))));
const bytes = files.reduce((n, f) => n + f.length, 0);
const rounds = Number(process.argv[2] ?? 50);

/** Bytes of event records (chunk header to free-space offset): what is really decoded. */
function recordBytes(f: Uint8Array): number {
  let n = 0;
  for (let o = 4096; o + 512 <= f.length; o += 65536) n += Math.max(0, new DataView(f.buffer, f.byteOffset).getUint32(o + 48, true) - 512);
  return n;
}

function measure(label: string, set: readonly Uint8Array[]): void {
  const round = (): number => set.reduce((n, f) => n + decodeEvtx(f).events.length, 0);
  for (let i = 0; i < 5; i++) round();
  const start = process.hrtime.bigint();
  let records = 0;
  for (let i = 0; i < rounds; i++) records += round();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const fileBytes = set.reduce((n, f) => n + f.length, 0) * rounds;
  const dataBytes = set.reduce((n, f) => n + recordBytes(f), 0) * rounds;
  console.log(
    `${label}: ${set.length} files, ${records / rounds} records per round, ${rounds} rounds: ` +
      `${Math.round(records / seconds)} records/s, ${(dataBytes / 1e6 / seconds).toFixed(1)} MB/s of record data, ` +
      `${(fileBytes / 1e6 / seconds).toFixed(1)} MB/s of file bytes`,
  );
}

console.log(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
measure('all files (mostly 1 record per chunk: template parse dominates)', files);
// Files with several records per chunk show the steady state, where templates come from the chunk cache.
measure('multi-record files', files.filter((f) => decodeEvtx(f).events.length > 2));
