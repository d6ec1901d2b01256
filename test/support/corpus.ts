/** Shared corpora, prepared once per test process into temporary files for grep. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { sharedPath } from './shared';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

export function tempFile(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

/** The first `count` lines of a gzip JSONL shard of the real-windows corpus. */
export function realWindowsSlice(shard: number, count: number): string[] {
  const file = sharedPath('corpora', 'real-windows', `otrf-windows-${String(shard).padStart(3, '0')}.jsonl.gz`);
  // Decompress only as much of the shard as the slice needs (a partial gzip stream, flushed).
  const compressed = fs.readFileSync(file);
  let text = '';
  for (let n = 1 << 21; ; n *= 2) {
    const part = compressed.subarray(0, Math.min(n, compressed.length));
    text = zlib.gunzipSync(part, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    if (n >= compressed.length || text.split('\n', count + 1).length > count) break;
  }
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push(text.slice(start, end));
    start = end + 1;
  }
  return lines;
}
