/*
 * What the plain-JS benchmarks of the native addon share: the addon's path, their command-line options,
 * the input (a JSON-lines file: the one given, else /tmp/shard0.jsonl, else the first real-windows shard
 * in ../shared, gunzipped), chunks cut at line ends as the scanner cuts them, and a prefilter built straight
 * from the addon's constructor. Plain JS, so the benchmarks need no tsc.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const ADDON = process.env.SIGREP_NATIVE_PREFILTER || path.join(ROOT, 'native-bindings/build/Release/sigrep_line_prefilter.node');

/** The value after `--name` on the command line, else `fallback`. */
function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** The benchmark's input bytes (see above). */
function input() {
  const given = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
  if (given) return fs.readFileSync(given);
  if (fs.existsSync('/tmp/shard0.jsonl')) return fs.readFileSync('/tmp/shard0.jsonl');
  return zlib.gunzipSync(fs.readFileSync(path.resolve(ROOT, '../shared/corpora/real-windows/otrf-windows-000.jsonl.gz')));
}

/** `buf` in chunks of about `size` bytes, each ending at a line end. */
function chunksOf(buf, size) {
  const out = [];
  for (let s = 0; s < buf.length; ) {
    let e = Math.min(buf.length, s + size);
    if (e < buf.length) e = buf.indexOf(10, e) + 1 || buf.length;
    out.push(buf.subarray(s, e));
    s = e;
  }
  return out;
}

/** `new LinePrefilter(...)` of the addon over string literals, with the given flags and gates. */
function buildPrefilter(addon, literals, flags, gates) {
  const enc = literals.map((l) => Buffer.from(l, 'utf8'));
  const offsets = new Uint32Array(literals.length + 1);
  enc.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
  return new addon.LinePrefilter(new Uint8Array(Buffer.concat(enc)), offsets, flags, gates);
}

module.exports = { ROOT, ADDON, arg, input, chunksOf, buildPrefilter };
