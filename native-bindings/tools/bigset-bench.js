// Measures the native prefilter's frame() on large literal sets: MB/s of this thread's CPU time over
// line-aligned chunks of a JSON-lines file, for subsets of a literal file. Also prints a result digest so
// two builds can be compared for identical output.
// node native-bindings/tools/bigset-bench.js [--addon file.node] [--lits /tmp/fullplan-literals.json]
//   [--data /tmp/shard0.jsonl] [--mb 64] [--chunk 4] [--sizes 50,500,2000,all] [--reps 3] [--flags 2]
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { arg: opt, chunksOf } = require('../../bench/native-support');
const addon = require(path.resolve(opt('addon', path.join(__dirname, '../build/Release/sigrep_line_prefilter.node'))));
const lits = JSON.parse(fs.readFileSync(opt('lits', '/tmp/fullplan-literals.json'), 'utf8'));
const all = fs.readFileSync(opt('data', '/tmp/shard0.jsonl'));
const mb = Number(opt('mb', '64'));
let buf = all.subarray(0, Math.min(all.length, mb << 20));
buf = buf.subarray(0, buf.lastIndexOf(10) + 1);
const chunkBytes = Number(opt('chunk', '4')) * (1 << 20);
const reps = Number(opt('reps', '3'));
const flags = Number(opt('flags', '0'));
const sizes = opt('sizes', '50,500,2000,all').split(',');

const chunks = chunksOf(buf, chunkBytes);

// Deterministic sample of n literals (xorshift shuffle).
function sample(n) {
  if (n >= lits.length) return lits;
  const idx = lits.map((_, i) => i);
  let x = 0x9e3779b9;
  for (let i = idx.length - 1; i > 0; i--) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const j = x % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).map((i) => lits[i]);
}

function make(list) {
  const enc = list.map((l) => Buffer.from(l, 'utf8'));
  const offs = new Uint32Array(list.length + 1);
  enc.forEach((b, i) => (offs[i + 1] = offs[i] + b.length));
  return new addon.LinePrefilter(new Uint8Array(Buffer.concat(enc)), offs, flags);
}

for (const size of sizes) {
  const list = sample(size === 'all' ? lits.length : Number(size));
  const t0 = process.hrtime.bigint();
  const pf = make(list);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const rates = [];
  let digest = '';
  let cand = 0, hits = 0;
  for (let r = 0; r < reps; r++) {
    const h = crypto.createHash('sha1');
    cand = 0; hits = 0;
    const c0 = process.cpuUsage();
    for (const ch of chunks) {
      const f = pf.frame(ch);
      cand += f.candidateLines.length;
      hits += f.hitLiterals.length;
      if (r === 0) {
        h.update(Buffer.from(f.candidateLines.buffer, f.candidateLines.byteOffset, f.candidateLines.byteLength));
        h.update(Buffer.from(f.hitOffsets.buffer, f.hitOffsets.byteOffset, f.hitOffsets.byteLength));
        h.update(Buffer.from(f.hitLiterals.buffer, f.hitLiterals.byteOffset, f.hitLiterals.byteLength));
      }
    }
    const c = process.cpuUsage(c0);
    const us = c.user + c.system;
    rates.push(buf.length / us);
    if (r === 0) digest = h.digest('hex').slice(0, 12);
  }
  rates.sort((a, b) => b - a);
  console.log(
    `${String(list.length).padStart(5)} lits  path=${pf.literalPath}  states=${pf.stateCount}  build=${buildMs.toFixed(0)}ms  ` +
      `best ${rates[0].toFixed(0)} MB/s  median ${rates[Math.floor(rates.length / 2)].toFixed(0)} MB/s  ` +
      `cand=${cand} hits=${hits} digest=${digest}`,
  );
}
