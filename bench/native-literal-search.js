#!/usr/bin/env node
/*
 * Native prefilter literal search, MB/s per search kind and literal count: the Aho-Corasick DFA against
 * the rare-byte-pair search (SSE2 and AVX2 kernels), frame() over ~4 MB chunks cut at line ends, as the
 * scanner calls it. Times are the process's CPU time (best of N), so other load on the machine skews less. Also checks that every kind returns the same hits. Plain JS over the built addon, so
 * it needs no tsc; prints figures only (they choose kPairsMaxLiterals in line_prefilter.cc).
 *
 *   node bench/native-literal-search.js [file.jsonl] [--runs 5] [--counts 1,3,8,16]
 *
 * The file defaults to /tmp/shard0.jsonl, else the first real-windows shard in ../shared, gunzipped.
 */
'use strict';
const { ADDON, arg, input, chunksOf, buildPrefilter } = require('./native-support');
const FORCE_DFA = 2;
const FORCE_PAIRS = 4;
const NO_AVX2 = 8;
const CHUNK_BYTES = 4 << 20;

// Sigma-style literals, most specific first; the first three are one rule's prefilter.
const LITERALS = [
  'powershell.exe', 'microsoft-window', 'operational', 'mimikatz', 'rundll32', '\\\\temp\\\\', 'cmd.exe',
  '-encodedcommand', 'downloadstring', 'net.webclient', 'regsvr32', 'mshta.exe', 'wscript.exe', 'certutil',
  'bitsadmin', 'schtasks', 'invoke-', 'sekurlsa', 'vssadmin', 'wmic', 'bypass', 'hidden', 'reg.exe', 'lsass',
  'procdump', 'comsvcs', 'shadowcopy', 'frombase64', 'iex', 'psexec', 'whoami', 'nltest',
];

const addon = require(ADDON);
/** A digest of everything frame() reports, to compare kinds. */
function digest(results) {
  let h = 0;
  for (const r of results)
    for (const a of [r.lineStarts, r.candidateLines, r.hitOffsets, r.hitLiterals])
      for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + a[i]) | 0;
  return h;
}

const buf = input();
const chunks = chunksOf(buf, CHUNK_BYTES);
const runs = Number(arg('runs', '5'));
const counts = arg('counts', '0,1,3,8,16,24,32').split(',').map(Number);
console.log(`${(buf.length / 1e6).toFixed(0)} MB, ${chunks.length} chunks, best of ${runs} runs, addon ${ADDON}`);
for (const count of counts) {
  const literals = LITERALS.slice(0, count);
  const kinds = [['dfa', FORCE_DFA], ['pairs-sse2', FORCE_PAIRS | NO_AVX2], ['pairs', FORCE_PAIRS], ['default', 0]];
  const row = [];
  let reference;
  for (const [name, flags] of kinds) {
    const pf = buildPrefilter(addon, literals, flags);
    let best = Infinity;
    let candidates = 0;
    let results;
    for (let r = 0; r < runs; r++) {
      const t = process.cpuUsage();
      results = chunks.map((c) => pf.frame(c));
      const used = process.cpuUsage(t);
      best = Math.min(best, (used.user + used.system) / 1e3);
    }
    candidates = results.reduce((n, f) => n + f.candidateLines.length, 0);
    const d = digest(results);
    if (reference === undefined) reference = d;
    else if (d !== reference) console.log(`  MISMATCH: ${pf.literalPath} differs from the DFA with ${count} literals`);
    const label = name === 'default' ? `default (${pf.literalPath} after the run)` : pf.literalPath.padEnd(10);
    row.push(`${label} ${String(Math.round(buf.length / best / 1e3)).padStart(5)} MB/s`);
    if (name === 'pairs') row.push(`${candidates} candidate lines`);
  }
  console.log(`${String(count).padStart(2)} literals: ${row.join('  ')}`);
}
