/**
 * Line framing and the per-line path, over the same bytes:
 *  - LineFramer (src/scan/line-framer.ts) cutting a stream read in 1 MB pieces into chunks of whole lines;
 *  - splitting a chunk into line strings; JSON.parse of every line;
 *  - the whole per-line path of the engine (createRuleSetMatcher.matchChunk) with the bundled rules,
 *    with and without the prefilter (without: every line is decoded, parsed, indexed and evaluated).
 * Run: node dist/bench/line-framing.bench.js [--mb 16]
 */
import Benchmark from 'benchmark';
import * as path from 'node:path';
import { loadRuleSet, planRuleSet } from '../src/api';
import { createRuleSetMatcher } from '../src/engine/rule-set-matcher';
import { readRuleFiles } from '../src/io/rule-files';
import { WINDOWS_MAPPING } from '../src/logsource/mapping';
import { LineFramer } from '../src/scan/line-framer';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, READ_BYTES } from '../src/scan/limits';
import { argNumber, loadLine, ROOT, runSuite, sampleLines } from './support';

function main(): void {
  const sample = sampleLines(argNumber('mb', 16));
  const mb = sample.bytes.length / 1e6;
  console.log(`line framing and per-line path: ${sample.lines.length} lines, ${sample.source}; ${loadLine()}`);
  const rules = readRuleFiles([path.join(ROOT, 'rules')]);
  const plan = planRuleSet(loadRuleSet(rules.files), { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' }).plan;
  const withPrefilter = createRuleSetMatcher(plan, {});
  const everyLine = createRuleSetMatcher(plan, { usePrefilter: false });
  const chunk = new Uint8Array(sample.bytes.buffer, sample.bytes.byteOffset, sample.bytes.byteLength);
  let sink = 0;
  const suite = new Benchmark.Suite('framing');
  suite.add('LineFramer.push (1 MB reads, 1 MB chunks)', () => {
    const framer = new LineFramer({ chunkBytes: DEFAULT_CHUNK_BYTES, maxLineBytes: DEFAULT_MAX_LINE_BYTES });
    for (let o = 0; o < chunk.length; o += READ_BYTES) sink += framer.push(chunk.subarray(o, o + READ_BYTES)).length;
    sink += framer.end().length;
  });
  suite.add('toString + split into lines', () => {
    sink += sample.bytes.toString('utf8').split('\n').length;
  });
  suite.add('JSON.parse of every line', () => {
    for (const l of sample.lines) sink += (JSON.parse(l) as object) ? 1 : 0;
  });
  suite.add(`matchChunk, ${plan.rules.length} bundled rules, prefilter`, () => {
    sink += withPrefilter.matchChunk(chunk).detections.length;
  });
  suite.add(`matchChunk, ${plan.rules.length} bundled rules, every line`, () => {
    sink += everyLine.matchChunk(chunk).detections.length;
  });
  runSuite(suite, { name: 'line', per: sample.lines.length, mb });
  if (sink < 0) console.log(sink);
}

main();
