#!/usr/bin/env node
/*
 * Native prefilter with JSON validation and gate fields, single thread: frame() over chunks cut at line
 * ends (1 MB by default, as the lead's measurements), MB/s of CPU time (best of N), per JSON kernel (AVX2
 * when the CPU has it, SSE2, scalar, forced by the addon's flags). Rows: no validation, validation,
 * validation + gates (read on candidate lines only), and validation + gates with every line a candidate
 * (a `{` literal added), which is what reading gates on every line cost. Also checks that every kernel
 * returns the same statuses and codes. Plain JS over the built addon, so it needs no tsc.
 *
 *   node bench/native-json-validate.js [file.jsonl] [--runs 5] [--chunk 1048576]
 *
 * The file defaults to /tmp/shard0.jsonl, else the first real-windows shard in ../shared, gunzipped.
 */
'use strict';
const { ADDON, arg, input, chunksOf, buildPrefilter: build } = require('./native-support');
const VALIDATE_JSON = 1;
const NO_AVX2 = 8;
const SCALAR_JSON = 32;

const LITERALS = ['powershell.exe', 't-windows-sysmon', 'operational'];
const GATES = [
  { name: 'EventID', aliases: ['event_id'], values: ['1', '3', '4624', '4688'] },
  { name: 'Channel', aliases: [], values: ['security', 'microsoft-windows-sysmon/operational'] },
];

/** Best CPU time of `runs` passes, and a digest of the statuses and codes of the last. */
function measure(prefilter, chunks, runs) {
  let best = Infinity;
  let digest = 0;
  let candidates = 0;
  for (let r = 0; r < runs; r++) {
    const t = process.cpuUsage();
    digest = 0;
    candidates = 0;
    for (const chunk of chunks) {
      const f = prefilter.frame(chunk);
      candidates += f.candidateLines.length;
      if (r === runs - 1) {
        if (f.jsonStatus) for (let i = 0; i < f.jsonStatus.length; i++) digest = (digest * 31 + f.jsonStatus[i]) >>> 0;
        if (f.gateCodes) for (let i = 0; i < f.gateCodes.length; i++) digest = (digest * 31 + f.gateCodes[i]) >>> 0;
      }
    }
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  return { ms: best, digest, candidates };
}

const addon = require(ADDON);
const buf = input();
const runs = Number(arg('runs', '5'));
const chunks = chunksOf(buf, Number(arg('chunk', String(1 << 20))));
console.log(`${(buf.length / 1e6).toFixed(1)} MB in ${chunks.length} chunks, literals ${JSON.stringify(LITERALS)}, gates ${GATES.map((g) => g.name).join(', ')}, best of ${runs} (CPU time)`);
const rows = [['no validation', 0, [], LITERALS]];
const kernels = [['avx2', 0], ['sse2', NO_AVX2], ['scalar', SCALAR_JSON]];
for (const [kernel, flag] of kernels) {
  rows.push([`validate (${kernel})`, VALIDATE_JSON | flag, [], LITERALS]);
  rows.push([`validate + gates (${kernel})`, VALIDATE_JSON | flag, GATES, LITERALS]);
  rows.push([`validate + gates, every line a candidate (${kernel})`, VALIDATE_JSON | flag, GATES, [...LITERALS, '{']]);
}
const digests = new Map();
for (const [name, flags, gates, literals] of rows) {
  const prefilter = build(addon, literals, flags, gates);
  const kernel = prefilter.jsonKernel ?? '?';
  const { ms, digest, candidates } = measure(prefilter, chunks, runs);
  const key = `${gates.length}:${literals.length}`;
  if (flags & VALIDATE_JSON) {
    if (!digests.has(key)) digests.set(key, digest);
    else if (digests.get(key) !== digest) console.log(`  MISMATCH: ${name} gives other statuses or codes`);
  }
  console.log(`${name.padEnd(52)} ${ms.toFixed(1).padStart(7)} ms ${(buf.length / ms / 1e3).toFixed(0).padStart(6)} MB/s  (kernel ${kernel}, ${candidates} candidate lines)`);
}
