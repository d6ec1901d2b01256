/**
 * Measures the scanner's own throughput with the fixture matcher (not a test; never run by ava).
 *   node dist/test/scan/measure-overhead.js FILE [threads=1,2] [chunkKiB=1024] [modes=count,json] [repeat=3]
 * Modes: `count` (the matcher only counts lines: the scanner's own cost), `json` (decode, JSON.parse,
 * 4 literal rules, detections carry parsed events), `raw` (same, events sent as line text), `nomatch`
 * (JSON.parse, no detections). Prints MB/s of decompressed input per configuration (best of
 * `repeat`), CPU use, main-thread busy time, plus read-only and gunzip-only baselines.
 */
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { scan } from '../../src/scan/scan';
import { MATCHER, rule } from './helpers';

async function baseline(file: string, gunzip: boolean): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  let bytes = 0;
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gunzip ? raw.pipe(createGunzip({ chunkSize: 256 * 1024 })) : raw;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { bytes, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const [file, threadsArg = '1,2', chunkArg = '1024', modesArg = 'count,json', repeatArg = '3'] = process.argv.slice(2);
  if (!file) throw new Error('usage: measure-overhead FILE [threads] [chunkKiB] [modes] [repeat]');
  const repeat = Number(repeatArg);
  const gz = file.endsWith('.gz');
  const base = await baseline(file, gz);
  console.log(`baseline ${gz ? 'read+gunzip' : 'read'} only: ${(base.bytes / 1e6 / (base.ms / 1000)).toFixed(0)} MB/s (${(base.bytes / 1e6).toFixed(1)} MB)`);
  const rules = [rule('mimikatz'), rule('lsass.exe'), rule('powershell'), rule('\\\\Temp\\\\')];
  for (const mode of modesArg.split(',')) {
    for (const chunkKiB of chunkArg.split(',').map(Number)) {
      for (const threads of threadsArg.split(',').map(Number)) {
        let best = Infinity;
        let line = '';
        for (let i = 0; i < repeat; i++) {
          const elu0 = performance.eventLoopUtilization();
          const cpu0 = process.cpuUsage();
          const s = await scan({
            inputs: [file],
            matcherModule: MATCHER,
            plan: {
              rules: mode === 'nomatch' ? [rule('no line contains this')] : rules,
              countOnly: mode === 'count',
              rawEvents: mode === 'raw',
            },
            threads,
            chunkBytes: chunkKiB * 1024,
          });
          const elu = performance.eventLoopUtilization(elu0).utilization;
          const cpu = process.cpuUsage(cpu0);
          if (s.elapsedMs < best) {
            best = s.elapsedMs;
            const mb = s.bytes.decompressed / 1e6;
            const cpuS = (cpu.user + cpu.system) / 1e6;
            line =
              `${mode.padEnd(5)} threads=${threads} chunk=${chunkKiB}KiB: ${(mb / (s.elapsedMs / 1000)).toFixed(0)} MB/s wall, ` +
              `${(mb / cpuS).toFixed(0)} MB per CPU-second (all threads), main thread busy ${((elu * s.elapsedMs) / 1000).toFixed(2)} s, ` +
              `${s.lines.lines} lines, ${s.detections} detections, ${(s.elapsedMs / 1000).toFixed(2)} s`;
          }
        }
        console.log(line);
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
