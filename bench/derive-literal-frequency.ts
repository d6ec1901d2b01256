/**
 * Derives src/backends/plan/literal-frequency-table.ts: the fraction of log lines containing each common
 * prefilter literal, and a length prior for the others (see literal-frequency.ts for how they are used).
 *
 * Candidates are the literals the rules could put in a prefilter, with the words inside them (`prefilterCandidates`
 * of every rule's detection and logsource gate). Lines are counted with the scanner's own line prefilter
 * (ASCII case-insensitive, on the raw bytes). Derived from the training shards only; the held-out shards say
 * how well the model predicts (printed, not stored).
 *
 *   node dist/bench/derive-literal-frequency.js [--train 0-4] [--test 5-9] [--threshold 0.01] [--write]
 *
 * Without --write it only prints. Needs ../shared (corpora/real-windows, the two rule folders).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadRuleSet, compileLoadedRule } from '../src/api/rule-set';
import { readRuleFiles } from '../src/io/rule-files';
import { resolveLogsource, WINDOWS_MAPPING } from '../src/logsource/mapping';
import { prefilterCandidates } from '../src/backends/plan/prefilter-literals';
import { literalFrequencyModel, type LiteralFrequencyTable } from '../src/backends/plan/literal-frequency';
import { createLinePrefilter, encodeLiterals } from '../src/engine/line-prefilter';

const ROOT = path.resolve(__dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared');
const RULE_DIRS = ['conformance/sigmac/rules', 'corpora/sigma-regression/rules'];
const SHARD = (i: number) => `corpora/real-windows/otrf-windows-${String(i).padStart(3, '0')}.jsonl.gz`;
const OUT = path.join(ROOT, 'src/backends/plan/literal-frequency-table.ts');
/** Frequencies are stored to this many significant digits. */
const DIGITS = 3;
const MAX_PRIOR_LENGTH = 16;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

function range(spec: string): number[] {
  const [a, b] = spec.split('-').map(Number);
  const out: number[] = [];
  for (let i = a!; i <= (b ?? a)!; i++) out.push(i);
  return out;
}

function candidates(): string[] {
  const read = readRuleFiles(RULE_DIRS.map((d) => path.join(SHARED, d)));
  const set = loadRuleSet(read.files);
  const out = new Set<string>();
  const gates = new Map<string, true>();
  for (const r of set.rules) {
    const compiled = compileLoadedRule(r);
    if (compiled.ir) prefilterCandidates(compiled.ir, out);
    const key = JSON.stringify(r.rule.logsource);
    if (gates.has(key)) continue;
    gates.set(key, true);
    const resolved = resolveLogsource(r.rule.logsource, WINDOWS_MAPPING);
    if (resolved.kind === 'mapped') for (const b of resolved.branches) prefilterCandidates(b.gate, out);
    else prefilterCandidates(resolved.gate, out);
  }
  console.error(`${set.rules.length} rules, ${out.size} candidate literals`);
  return [...out].sort();
}

/** Lines holding each literal, over whole gzip JSONL shards. */
async function count(literals: readonly string[], shards: readonly number[]): Promise<{ lines: number; hits: Float64Array }> {
  const prefilter = createLinePrefilter(encodeLiterals(literals));
  const hits = new Float64Array(literals.length);
  let lines = 0;
  const frame = (bytes: Buffer) => {
    const f = prefilter.frame(bytes);
    lines += f.lineCount;
    for (const l of f.hitLiterals) hits[l]! += 1;
  };
  for (const i of shards) {
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of fs.createReadStream(path.join(SHARED, SHARD(i))).pipe(zlib.createGunzip())) {
      pending.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size < 8 << 20) continue;
      const buf = Buffer.concat(pending);
      const cut = buf.lastIndexOf(10) + 1;
      frame(buf.subarray(0, cut));
      pending = [buf.subarray(cut)];
      size = buf.length - cut;
    }
    if (size > 0) frame(Buffer.concat(pending));
  }
  return { lines, hits };
}

const round = (x: number) => Number(x.toPrecision(DIGITS));

function deriveTable(literals: readonly string[], freq: Float64Array, threshold: number): LiteralFrequencyTable {
  const entries: Record<string, number> = {};
  literals.forEach((l, i) => {
    if (freq[i]! >= threshold) entries[l] = round(freq[i]!);
  });
  // Mean fraction of the candidates of each length; never rising with the length (a longer literal is no
  // more likely), lengths below the minimum take the minimum's.
  const sum = new Float64Array(MAX_PRIOR_LENGTH + 1);
  const n = new Float64Array(MAX_PRIOR_LENGTH + 1);
  literals.forEach((l, i) => {
    const len = Math.min(l.length, MAX_PRIOR_LENGTH);
    sum[len]! += freq[i]!;
    n[len]! += 1;
  });
  const lengthPrior: number[] = [];
  let last = 1;
  for (let len = 0; len <= MAX_PRIOR_LENGTH; len++) {
    if (n[len]! > 0) last = Math.min(last, sum[len]! / n[len]!);
    lengthPrior.push(round(last));
  }
  const firstMeasured = n.findIndex((x) => x > 0);
  for (let len = 0; len < firstMeasured; len++) lengthPrior[len] = lengthPrior[firstMeasured]!;
  return { entries, lengthPrior };
}

function evaluate(literals: readonly string[], table: LiteralFrequencyTable, train: Float64Array, test: Float64Array): void {
  const estimate = literalFrequencyModel(new Set(), table);
  const est = literals.map(estimate);
  let absAll = 0;
  let absTable = 0;
  let nTable = 0;
  let maxTable = 0;
  let worst = '';
  let missed = 0;
  const missedExamples: string[] = [];
  literals.forEach((l, i) => {
    const err = Math.abs(est[i]! - test[i]!);
    absAll += err;
    if (l in table.entries) {
      absTable += err;
      nTable++;
      if (err > maxTable) {
        maxTable = err;
        worst = `${l} (train ${train[i]!.toFixed(3)}, test ${test[i]!.toFixed(3)})`;
      }
    } else if (test[i]! >= 0.05) {
      missed++;
      if (missedExamples.length < 10) missedExamples.push(`${l} ${test[i]!.toFixed(3)} est ${est[i]!.toFixed(3)}`);
    }
  });
  // Ranking agreement: over pairs of candidates whose held-out fractions differ by at least 2x and 0.001,
  // how often an estimate orders them the same way (ties count half); the length-only ranking the model
  // replaced (longer is rarer) for comparison.
  const byLength = literals.map((l) => 1 / l.length);
  let agree = 0;
  let agreeLength = 0;
  let pairs = 0;
  let agreeCommon = 0;
  let agreeCommonLength = 0;
  let commonPairs = 0;
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const same = (x: number, y: number, a: number, b: number) => {
    const d = (x - y) * (a - b);
    return d > 0 ? 1 : d === 0 ? 0.5 : 0;
  };
  for (let k = 0; k < 400_000; k++) {
    const i = Math.floor(rnd() * literals.length);
    const j = Math.floor(rnd() * literals.length);
    const a = test[i]!;
    const b = test[j]!;
    if (Math.abs(a - b) < 0.001 || Math.max(a, b) < 2 * Math.min(a, b)) continue;
    pairs++;
    agree += same(est[i]!, est[j]!, a, b);
    agreeLength += same(byLength[i]!, byLength[j]!, a, b);
    if (Math.max(a, b) >= 0.01) {
      commonPairs++;
      agreeCommon += same(est[i]!, est[j]!, a, b);
      agreeCommonLength += same(byLength[i]!, byLength[j]!, a, b);
    }
  }
  console.log(`held-out: mean |estimate - fraction| over ${literals.length} candidates ${(absAll / literals.length).toFixed(4)}`);
  console.log(`held-out: table entries (${nTable}) mean |error| ${(absTable / nTable).toFixed(4)}, worst ${maxTable.toFixed(3)}: ${worst}`);
  console.log(`held-out: candidates not in the table yet in >= 5% of held-out lines: ${missed} ${missedExamples.join('; ')}`);
  console.log(`held-out: pairwise order agreement ${(agree / pairs).toFixed(3)} (length only: ${(agreeLength / pairs).toFixed(3)}) over ${pairs} pairs`);
  console.log(
    `held-out: of them, pairs with one in >= 1% of lines: ${(agreeCommon / commonPairs).toFixed(3)} (length only: ${(agreeCommonLength / commonPairs).toFixed(3)}) over ${commonPairs}`,
  );
}

function render(table: LiteralFrequencyTable, header: string): string {
  const rows = Object.entries(table.entries)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([l, f]) => `    ${JSON.stringify(l)}: ${f},`);
  return [
    '/**',
    ...header.split('\n').map((l) => ` * ${l}`.trimEnd()),
    ' */',
    "import type { LiteralFrequencyTable } from './literal-frequency';",
    '',
    'export const LITERAL_FREQUENCY_TABLE: LiteralFrequencyTable = {',
    `  lengthPrior: [${table.lengthPrior.join(', ')}],`,
    '  entries: {',
    ...rows,
    '  },',
    '};',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const trainShards = range(arg('train', '0-4'));
  const testShards = range(arg('test', '5-9'));
  const threshold = Number(arg('threshold', '0.01'));
  const literals = candidates();
  const train = await count(literals, trainShards);
  const trainFreq = train.hits.map((h) => h / train.lines);
  const table = deriveTable(literals, trainFreq, threshold);
  console.log(`train: ${train.lines} lines; ${Object.keys(table.entries).length} literals at >= ${threshold}; length prior ${table.lengthPrior.join(' ')}`);
  if (testShards.length > 0) {
    const test = await count(literals, testShards);
    console.log(`test: ${test.lines} lines`);
    evaluate(literals, table, trainFreq, test.hits.map((h) => h / test.lines));
  }
  if (process.argv.includes('--write')) {
    const header = [
      'GENERATED by bench/derive-literal-frequency.ts; do not edit. Regenerate (after `npx tsc -p .`) with',
      `  node dist/bench/derive-literal-frequency.js --train ${arg('train', '0-4')} --threshold ${threshold} --write`,
      '',
      `Fraction of lines (ASCII case-insensitive) containing each literal, over ${train.lines} lines of`,
      `../shared/corpora/real-windows shards ${trainShards.map((i) => String(i).padStart(3, '0')).join(', ')}, for the ${literals.length}`,
      `candidate literals of the rules in ${RULE_DIRS.join(' and ')} (their safe runs and the words`,
      `inside them, cut to 16 characters); kept at >= ${threshold}. \`lengthPrior[n]\`: mean fraction of the candidates`,
      'of length n (non-increasing; the last entry covers longer ones).',
    ].join('\n');
    fs.writeFileSync(OUT, render(table, header));
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
