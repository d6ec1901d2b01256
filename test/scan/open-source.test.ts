import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { openSource } from '../../src/scan/open-source';
import { detectFormat } from '../../src/scan/detect-format';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-open-source-'));
const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 97)}"}`).join('\n') + '\n');

async function readAll(data: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const d of data) parts.push(Buffer.from(d));
  return Buffer.concat(parts);
}

test('a plain regular file can be read straight into a buffer, from after its byte-order mark', async (t) => {
  const file = path.join(dir, 'bom.jsonl');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), content]));
  let read = 0;
  const opened = await openSource({ kind: 'file', path: file, cwd: '/' }, detectFormat, (n) => (read += n));
  if (opened.kind !== 'stream' || !opened.direct) return t.fail('expected a direct reader');
  t.is(opened.startOffset, 3);
  const parts: Buffer[] = [];
  const target = new Uint8Array(4096);
  for (let n; (n = opened.direct.read(target)) > 0; ) parts.push(Buffer.from(target.subarray(0, n)));
  await opened.direct.close();
  t.deepEqual(Buffer.concat(parts), content);
  t.is(read, content.length + 3, 'every byte of the file counts as read');
});

test('the same file through `data` gives the same bytes', async (t) => {
  const file = path.join(dir, 'plain.jsonl');
  fs.writeFileSync(file, content);
  const opened = await openSource({ kind: 'file', path: file, cwd: '/' }, detectFormat, () => undefined);
  if (opened.kind !== 'stream') return t.fail();
  t.deepEqual(await readAll(opened.data), content);
});

test('gzip and pipes are streamed, not read directly', async (t) => {
  const gz = path.join(dir, 'x.jsonl.gz');
  fs.writeFileSync(gz, zlib.gzipSync(content));
  const opened = await openSource({ kind: 'file', path: gz, cwd: '/' }, detectFormat, () => undefined);
  if (opened.kind !== 'stream') return t.fail();
  t.is(opened.direct, undefined);
  t.deepEqual(await readAll(opened.data), content);

  if (spawnSync('mkfifo', [path.join(dir, 'probe')]).status !== 0) {
    t.log('mkfifo is not available here: the pipe case is skipped');
    return;
  }
  const fifo = path.join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const source = path.join(dir, 'to-pipe.jsonl');
  fs.writeFileSync(source, content);
  const writer = spawn('sh', ['-c', `cat "${source}" > "${fifo}"`]);
  const written = new Promise((resolve) => writer.on('exit', resolve));
  const piped = await openSource({ kind: 'file', path: fifo, cwd: '/' }, detectFormat, () => undefined);
  if (piped.kind !== 'stream') return t.fail(`the pipe was skipped: ${piped.kind === 'skip' ? piped.reason : ''}`);
  t.is(piped.direct, undefined, 'a pipe cannot be read at positions');
  t.deepEqual(await readAll(piped.data), content);
  await written;
});
