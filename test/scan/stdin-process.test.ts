import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

const CHILD = path.join(__dirname, 'fixtures', 'scan-stdin-child.js');

function runChild(args: string[], input: Buffer | string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CHILD, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a real process reads its stdin (plain or gzip) and exits like grep', (t) => {
  const content = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `{"n":${i},"m":"alpha"}` : `line ${i}`)).join('\n');
  for (const input of [Buffer.from(content), gzipSync(content)]) {
    const r = runChild(['-'], input);
    t.is(r.status, 0, r.stderr);
    const records = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; line: number; event: { n: number } });
    t.is(records.length, 43);
    t.deepEqual(records.slice(0, 2).map((d) => [d.file, d.line, d.event.n]), [
      ['-', 1, 0],
      ['-', 8, 7],
    ]);
  }
  t.is(runChild([], 'nothing here\n').status, 1);
  t.is(runChild(['-', '/no/such/file'], 'alpha\n').status, 2);
});
