import test from 'ava';
import { seeded } from '../support/random';
import { bytesOf, firstFramedDifference as firstDifference, hitsByLine, plainFramed as plain } from '../support/framed';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import {
  createLinePrefilter,
  encodeLiterals,
  nativePrefilterAvailability,
  resolvePrefilterEngine,
  type FramedChunk,
  type PrefilterEngineName,
} from '../../src/engine/line-prefilter';

// ---------------------------------------------------------------------------------------------------------
// Reference: frame with split and check each line with a folded indexOf. Slow and obviously right.

/** Bytes as a latin1 string (one char per byte), A–Z folded only: toLowerCase would also fold À..Þ. */
function foldedLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function naiveFrame(bytes: Uint8Array, literals: readonly Uint8Array[]): FramedChunk {
  const text = foldedLatin1(bytes);
  const folded = literals.map(foldedLatin1);
  const starts: number[] = [];
  const ends: number[] = [];
  const candidates: number[] = [];
  const offsets: number[] = [0];
  const hits: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    let end = nl < 0 ? text.length : nl;
    if (nl >= 0 && end > pos && text[end - 1] === '\r') end--;
    const content = text.slice(pos, end);
    const lineHits = folded.flatMap((lit, id) => (content.includes(lit) ? [id] : []));
    if (lineHits.length > 0) {
      candidates.push(starts.length);
      hits.push(...lineHits);
      offsets.push(hits.length);
    }
    starts.push(pos);
    ends.push(end);
    pos = nl < 0 ? text.length : nl + 1;
  }
  return {
    lineCount: starts.length,
    lineStarts: Uint32Array.from(starts),
    lineEnds: Uint32Array.from(ends),
    candidateLines: Uint32Array.from(candidates),
    hitOffsets: Uint32Array.from(offsets),
    hitLiterals: Uint32Array.from(hits),
  };
}

/** Per line, the literals the prefilter reported, as plain data that reads well in a failed assertion. */


// ---------------------------------------------------------------------------------------------------------
// The same suite for both engines. The native one runs when the addon is built; SIGREP_REQUIRE_NATIVE=1
// turns a missing addon into a failure (for CI that is meant to build it).

const native = nativePrefilterAvailability();
const engines: PrefilterEngineName[] = ['js'];
if (native.kind === 'available') engines.push('native');
else if (process.env['SIGREP_REQUIRE_NATIVE'] === '1') {
  test('native engine is required but unavailable', (t) => t.fail(native.reason));
} else {
  test.skip(`native engine: addon not built (${native.reason}); its cases are skipped`, () => undefined);
}

interface Case {
  readonly title: string;
  readonly input: string;
  readonly literals: readonly string[];
  /** Expected lines as [start, end] pairs. */
  readonly lines: ReadonlyArray<readonly [number, number]>;
  /** Expected literal ids per candidate line. */
  readonly hits: Record<number, number[]>;
}

const cases: Case[] = [
  { title: 'empty input', input: '', literals: ['abc'], lines: [], hits: {} },
  { title: 'no literals', input: 'abc\ndef', literals: [], lines: [[0, 3], [4, 7]], hits: {} },
  { title: 'no trailing newline', input: 'ab\ncd', literals: ['cd'], lines: [[0, 2], [3, 5]], hits: { 1: [0] } },
  { title: 'trailing newline adds no line', input: 'ab\ncd\n', literals: ['cd'], lines: [[0, 2], [3, 5]], hits: { 1: [0] } },
  { title: 'CRLF strips the CR', input: 'ab\r\ncd\r\n', literals: ['b\r', 'ab', 'cd'], lines: [[0, 2], [4, 6]], hits: { 0: [1], 1: [2] } },
  {
    title: 'lone CR is content',
    input: 'a\rb\nc\r',
    literals: ['a\rb', 'c\r'],
    lines: [[0, 3], [4, 6]],
    hits: { 0: [0], 1: [1] },
  },
  { title: 'CR CR LF strips one CR', input: 'x\r\r\n', literals: ['x\r'], lines: [[0, 2]], hits: { 0: [0] } },
  { title: 'only a CRLF', input: '\r\n', literals: ['\r'], lines: [[0, 0]], hits: {} },
  { title: 'empty lines', input: '\n\nab\n\n', literals: ['ab'], lines: [[0, 0], [1, 1], [2, 4], [5, 5]], hits: { 2: [0] } },
  { title: 'literal at line start and end', input: 'abcxyz\nzzabc', literals: ['abc', 'xyz'], lines: [[0, 6], [7, 12]], hits: { 0: [0, 1], 1: [0] } },
  { title: 'literal spanning LF does not count', input: 'foo\nbar', literals: ['oba', 'foob', 'o\nb'], lines: [[0, 3], [4, 7]], hits: {} },
  { title: 'literal spanning CRLF does not count', input: 'foo\r\nbar', literals: ['o\r\nb', 'o\r', 'ob'], lines: [[0, 3], [5, 8]], hits: {} },
  { title: 'overlapping occurrences', input: 'aaaa abcd', literals: ['aa', 'aaa', 'abc', 'bcd', 'aaaaa'], lines: [[0, 9]], hits: { 0: [0, 1, 2, 3] } },
  { title: 'prefixes of each other', input: 'abcd', literals: ['abcde', 'abc', 'ab', 'a'], lines: [[0, 4]], hits: { 0: [1, 2, 3] } },
  { title: 'suffixes of each other', input: 'xabc', literals: ['c', 'bc', 'abc', 'xabcd'], lines: [[0, 4]], hits: { 0: [0, 1, 2] } },
  { title: 'repeated occurrences reported once', input: 'exe exe EXE', literals: ['exe'], lines: [[0, 11]], hits: { 0: [0] } },
  {
    title: 'ASCII letters fold both ways',
    input: 'C:\\Windows\\POWERSHELL.exe\nmimiKatz',
    literals: ['powershell.EXE', 'MIMIKATZ', '\\windows\\'],
    lines: [[0, 25], [26, 34]],
    hits: { 0: [0, 2], 1: [1] },
  },
  { title: 'non-letters do not fold', input: '@[\\^', literals: ['`', '{', '|', '~', '@[\\^'], lines: [[0, 4]], hits: { 0: [4] } },
  {
    title: 'non-ASCII bytes compare exactly',
    input: '\xc3\xa9t\xc3\xa9\n\xc3\x89T\xc3\x89\n\xff\x00',
    literals: ['\xc3\xa9t', '\xc3\x89t', '\xff\x00', '\x00'],
    lines: [[0, 5], [6, 11], [12, 14]],
    hits: { 0: [0], 1: [1], 2: [2, 3] },
  },
  { title: 'duplicate literals keep both ids', input: 'TEMP', literals: ['temp', 'TeMp', 'x'], lines: [[0, 4]], hits: { 0: [0, 1] } },
  { title: 'literal with LF never matches', input: 'a\nb', literals: ['a\nb', '\n'], lines: [[0, 1], [2, 3]], hits: {} },
];

for (const engine of engines) {
  for (const c of cases) {
    test(`${engine}: ${c.title}`, (t) => {
      const r = createLinePrefilter(c.literals.map(bytesOf), { engine }).frame(bytesOf(c.input));
      t.is(r.lineCount, c.lines.length);
      t.deepEqual(Array.from(r.lineStarts), c.lines.map((l) => l[0]));
      t.deepEqual(Array.from(r.lineEnds), c.lines.map((l) => l[1]));
      t.deepEqual(hitsByLine(r), c.hits);
      t.is(r.hitOffsets.length, r.candidateLines.length + 1);
      t.is(r.hitOffsets[0], 0);
      t.deepEqual(plain(r), plain(naiveFrame(bytesOf(c.input), c.literals.map(bytesOf))));
    });
  }

  test(`${engine}: very long line with literals at both ends`, (t) => {
    const size = 12 * 1024 * 1024;
    const bytes = new Uint8Array(size + 7).fill(0x61); // 'a'
    bytes.set(bytesOf('Mimi'), 0);
    bytes.set(bytesOf('KATZ'), size - 4);
    bytes.set(bytesOf('\r\nmimi\n'), size);
    const p = createLinePrefilter(encodeLiterals(['mimi', 'katz', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab']), { engine });
    const r = p.frame(bytes);
    t.is(r.lineCount, 2);
    t.deepEqual(Array.from(r.lineEnds), [size, size + 6]);
    t.deepEqual(hitsByLine(r), { 0: [0, 1], 1: [0] });
  });

  test(`${engine}: offsets are relative to a view with a byteOffset`, (t) => {
    const backing = bytesOf('XXXXab\ncab\n');
    const view = backing.subarray(4);
    const r = createLinePrefilter(encodeLiterals(['xab', 'ab']), { engine }).frame(view);
    t.deepEqual(Array.from(r.lineStarts), [0, 3]);
    t.deepEqual(hitsByLine(r), { 0: [1], 1: [1] });
  });

  test(`${engine}: accepts a Buffer`, (t) => {
    const r = createLinePrefilter(encodeLiterals(['cmd.exe']), { engine }).frame(Buffer.from('x\nC:\\CMD.EXE /c\n'));
    t.deepEqual(hitsByLine(r), { 1: [0] });
  });

  test(`${engine}: reuse across chunks leaves earlier results intact`, (t) => {
    const p = createLinePrefilter(encodeLiterals(['ab', 'cd']), { engine });
    const first = p.frame(bytesOf('ab\ncd\nab cd'));
    const snapshot = plain(first);
    const second = p.frame(bytesOf('cd ab\nzz\n'));
    t.deepEqual(plain(first), snapshot);
    t.deepEqual(hitsByLine(second), { 0: [0, 1] });
    t.deepEqual(plain(p.frame(bytesOf('ab\ncd\nab cd'))), snapshot);
  });

  test(`${engine}: an empty literal is refused`, (t) => {
    t.throws(() => createLinePrefilter([bytesOf('a'), new Uint8Array(0)], { engine }), { instanceOf: RangeError });
  });

  test(`${engine}: reports its engine and literal count`, (t) => {
    const p = createLinePrefilter(encodeLiterals(['a', 'b', 'c']), { engine });
    t.is(p.engine, engine);
    t.is(p.literalCount, 3);
  });

  test(`${engine}: seeded property test against the naive check`, (t) => {
    // Small alphabets make occurrences, overlaps and CR/LF edge cases frequent.
    const alphabet = ['a', 'b', 'A', 'B', 'c', 'x', '\r', '\n', '\n', '\xc3', '\xa9', '\x00', '\xff'];
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = seeded(seed);
      const pick = (): string => alphabet[Math.floor(rnd() * alphabet.length)]!;
      const literals: string[] = [];
      const literalCount = 1 + Math.floor(rnd() * 30);
      for (let i = 0; i < literalCount; i++) {
        let s = '';
        const len = 1 + Math.floor(rnd() * 5);
        for (let j = 0; j < len; j++) s += pick();
        literals.push(s);
      }
      let input = '';
      const len = Math.floor(rnd() * 400);
      for (let j = 0; j < len; j++) input += pick();
      const expected = naiveFrame(bytesOf(input), literals.map(bytesOf));
      const actual = createLinePrefilter(literals.map(bytesOf), { engine }).frame(bytesOf(input));
      const difference = firstDifference(actual, expected);
      if (difference) {
        t.deepEqual(difference, undefined, `seed ${seed}: input ${JSON.stringify(input)} literals ${JSON.stringify(literals)}`);
        return;
      }
    }
    t.pass();
  });

  test(`${engine}: seeded long lines of uneven length with planted literals`, (t) => {
    // Many lines of very different lengths keep the native engine's lanes busy and reassigning, and planted
    // literals straddle its internal block boundaries.
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = seeded(1000 + seed);
      const literals: string[] = [];
      for (let i = 0; i < 40; i++) {
        let s = '';
        const len = 3 + Math.floor(rnd() * 40);
        for (let j = 0; j < len; j++) s += String.fromCharCode(0x20 + Math.floor(rnd() * 95));
        literals.push(s);
      }
      const lines: string[] = [];
      for (let l = 0; l < 40; l++) {
        const len = rnd() < 0.2 ? 0 : Math.floor(rnd() * 3000);
        let line = '';
        for (let j = 0; j < len; j++) line += 'abcdefghij'[Math.floor(rnd() * 10)];
        for (let k = Math.floor(rnd() * 4); k > 0 && line.length > 0; k--) {
          const lit = literals[Math.floor(rnd() * literals.length)]!;
          const at = Math.floor(rnd() * line.length);
          line = line.slice(0, at) + (rnd() < 0.5 ? lit.toUpperCase() : lit) + line.slice(at);
        }
        lines.push(line);
      }
      const input = bytesOf(lines.join(rnd() < 0.5 ? '\n' : '\r\n'));
      const expected = naiveFrame(input, literals.map(bytesOf));
      const actual = createLinePrefilter(literals.map(bytesOf), { engine }).frame(input);
      t.is(firstDifference(actual, expected), undefined, `seed ${seed}`);
    }
  });
}

if (native.kind === 'available') {
  test('native: loads and runs in two worker threads at once, results cross the thread boundary', async (t) => {
    const entry = path.resolve(__dirname, '../../src/engine/line-prefilter/index.js');
    const script = `
      const p = require(${JSON.stringify(entry)});
      const { parentPort, workerData } = require('node:worker_threads');
      const f = p.createLinePrefilter(p.encodeLiterals(['abc', 'zz']), { engine: 'native' });
      parentPort.postMessage(f.frame(Buffer.from(workerData)));`;
    const run = (input: string): Promise<FramedChunk> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(script, { eval: true, workerData: input });
        worker.once('message', (m: FramedChunk) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    const [a, b] = await Promise.all([run('xABC\ny\n'), run('q\nzz abc')]);
    t.deepEqual(hitsByLine(a), { 0: [0] });
    t.deepEqual(hitsByLine(b), { 1: [0, 1] });
  });

  test('js and native agree on random JSON-like lines with many literals', (t) => {
    const rnd = seeded(42);
    const words = ['powershell', '.exe', 'mimikatz', '\\temp\\', 'cmd', 'Image', 'C:\\Windows', 'rundll32', '{"a":', '"}', ' ', 'é', '\r'];
    const literals: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const w = words[Math.floor(rnd() * words.length)]! + words[Math.floor(rnd() * words.length)]!;
      const from = Math.floor(rnd() * w.length);
      literals.push(w.slice(from, from + 3 + Math.floor(rnd() * 12)) || w);
    }
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let line = '';
      const n = Math.floor(rnd() * 60);
      for (let j = 0; j < n; j++) {
        const w = words[Math.floor(rnd() * words.length)]!;
        line += rnd() < 0.5 ? w.toUpperCase() : w;
      }
      lines.push(line);
    }
    const input = Buffer.from(lines.join(rnd() < 0.5 ? '\n' : '\r\n'), 'utf8');
    const encoded = literals.map((l) => new Uint8Array(Buffer.from(l, 'utf8')));
    const js = createLinePrefilter(encoded, { engine: 'js' }).frame(input);
    const nat = createLinePrefilter(encoded, { engine: 'native' }).frame(input);
    t.is(firstDifference(nat, js), undefined);
    // The naive check is slow (literals × lines), so it covers a prefix of the chunk.
    const prefix = Buffer.from(lines.slice(0, 300).join('\n'), 'utf8');
    t.is(firstDifference(createLinePrefilter(encoded, { engine: 'native' }).frame(prefix), naiveFrame(prefix, encoded)), undefined);
    t.true(js.candidateLines.length > 100);
  });
}

test('engine choice: js is always js, auto follows the addon', (t) => {
  t.is(resolvePrefilterEngine('js'), 'js');
  t.is(resolvePrefilterEngine('auto'), native.kind === 'available' ? 'native' : 'js');
  t.is(createLinePrefilter([], { engine: 'auto' }).engine, resolvePrefilterEngine('auto'));
});

test('engine choice: native requested but unavailable is a clear error, auto falls back to js', (t) => {
  // A fresh process, since availability is decided once per thread.
  const entry = path.resolve(__dirname, '../../src/engine/line-prefilter/index.js');
  const script = `
    const p = require(${JSON.stringify(entry)});
    const out = { auto: p.createLinePrefilter([], { engine: 'auto' }).engine };
    try { p.createLinePrefilter([], { engine: 'native' }); out.native = 'built'; }
    catch (e) { out.native = { name: e.name, code: e.code, message: e.message }; }
    process.stdout.write(JSON.stringify(out));`;
  const out = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SIGREP_NATIVE_PREFILTER: 'off' } }).toString(),
  ) as { auto: string; native: { name: string; code: string; message: string } };
  t.is(out.auto, 'js');
  t.is(out.native.name, 'NativePrefilterUnavailableError');
  t.is(out.native.code, 'NATIVE_PREFILTER_UNAVAILABLE');
  t.regex(out.native.message, /SIGREP_NATIVE_PREFILTER=off/);
});

test('engine choice: a missing addon file names the path it tried', (t) => {
  const entry = path.resolve(__dirname, '../../src/engine/line-prefilter/index.js');
  const script = `
    const p = require(${JSON.stringify(entry)});
    process.stdout.write(JSON.stringify(p.nativePrefilterAvailability()));`;
  const out = JSON.parse(
    execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, SIGREP_NATIVE_PREFILTER: '/nonexistent/sigrep_line_prefilter.node' },
    }).toString(),
  ) as { kind: string; reason: string };
  t.is(out.kind, 'unavailable');
  t.regex(out.reason, /\/nonexistent\/sigrep_line_prefilter\.node/);
});
