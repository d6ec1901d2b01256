/**
 * The macro benchmark, in one run (`npm run bench`): sigrep as a user runs it, against GNU grep -P and
 * ripgrep on the same plain file, with the same match counts asserted; the full rule set over all shards
 * (events/s, MB/s, peak RSS, detections); time versus input size and versus rule count; the EVTX decoder.
 * Prints a table and writes bench/results/<timestamp>.json. Without ../shared it generates a seeded
 * synthetic corpus (corpora/synthetic) and uses the bundled rules, so anyone can reproduce the method.
 *
 *   node dist/bench/run.js [--quick] [--shards N] [--runs N] [--synthetic] [--synthetic-mb N] [--seed N]
 *
 * Figures are wall-clock times of whole processes (start included), best of N runs for the single-rule
 * comparison and one run for the large scans; the 1-minute load average is written beside each.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { writeSynthetic, type SyntheticSummary } from '../corpora/synthetic/generate';

const ROOT = path.resolve(__dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared');
const SIGREP = path.join(ROOT, 'bin/sigrep.js');
const SINGLE_RULE = path.join(ROOT, 'rules/windows/sysmon/powershell_network_connections.yml');
/** The literal floor: the one word every match of the single rule contains, searched by rg -F. */
const FLOOR_LITERAL = 'powershell.exe';
const TIME = '/usr/bin/time';
const DEFAULT_RUNS = 5;
const SYNTHETIC_SHARD_MB = 240;
const INPUT_SERIES = [1, 2, 4, 8, 10];
const RULE_SERIES = [100, 500, 1000];

interface Args {
  readonly quick: boolean;
  readonly shards: number | undefined;
  readonly runs: number;
  readonly synthetic: boolean;
  readonly syntheticMb: number;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): number | undefined => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return undefined;
    const n = Number(argv[at + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number of at least 1`);
    return n;
  };
  for (const a of argv) {
    if (a.startsWith('--') && !['--quick', '--shards', '--runs', '--synthetic', '--synthetic-mb', '--seed'].includes(a)) throw new Error(`unknown option ${a}`);
  }
  return {
    quick: argv.includes('--quick'),
    shards: value('shards'),
    runs: value('runs') ?? DEFAULT_RUNS,
    synthetic: argv.includes('--synthetic'),
    syntheticMb: value('synthetic-mb') ?? SYNTHETIC_SHARD_MB,
    seed: value('seed') ?? 1,
  };
}

// ---------------------------------------------------------------------------------------------------
// Running and timing processes

interface Timed {
  readonly seconds: number;
  /** Peak resident set of the process (sigrep's workers are threads of it), in KB. */
  readonly peakKb: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly load: number;
}

const hasTime = fs.existsSync(TIME);

/**
 * Environment settings that change how long any Node process takes to start and that sigrep never uses.
 * NODE_EXTRA_CA_CERTS (set on this team's machines for npm) makes Node parse the system CA bundle before
 * running any code: about 50 ms per start, on top of Node's 20. The measured tools run without them; the
 * single-rule table also shows sigrep as launched with them, so the difference stays visible.
 */
const STARTUP_ONLY_ENV = ['NODE_EXTRA_CA_CERTS'];
const TOOL_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !STARTUP_ONLY_ENV.includes(k)));
const INHERITED_ENV_NOTE = STARTUP_ONLY_ENV.filter((k) => process.env[k] !== undefined);

/** Runs a command to its end: wall time, peak RSS via /usr/bin/time -f %M (else polling /proc), output. */
function runTimed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = TOOL_ENV): Promise<Timed> {
  const load = os.loadavg()[0]!;
  const rssFile = hasTime ? path.join(os.tmpdir(), `sigrep-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
  const [cmd, argv] = rssFile ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let polledKb = 0;
    const poll = rssFile
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            // the process has ended
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      let peakKb: number | undefined = polledKb || undefined;
      if (rssFile) {
        const text = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8') : '';
        fs.rmSync(rssFile, { force: true });
        // /usr/bin/time writes "Command exited with non-zero status N" before the figure.
        const last = text.trim().split('\n').pop();
        peakKb = last !== undefined && /^\d+$/.test(last) ? Number(last) : undefined;
      }
      resolve({ seconds, peakKb, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status, load });
    });
  });
}

/** Best (shortest) of `runs` runs after one warm-up run that fills the page cache. */
async function bestOf(runs: number, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Timed & { all: number[] }> {
  await runTimed(command, args, env);
  let best: Timed | undefined;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await runTimed(command, args, env);
    all.push(t.seconds);
    if (!best || t.seconds < best.seconds) best = t;
  }
  return { ...best!, all };
}

function versionLine(command: string): string | undefined {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Corpus

interface Corpus {
  readonly kind: 'shared' | 'synthetic';
  /** Inputs as a user has them (gzip for the shared corpus, plain for the synthetic one). */
  readonly shards: readonly string[];
  /** The first shard, decompressed: what every tool of the single-rule comparison reads. */
  readonly firstPlain: string;
  /** The first shard, gzip-compressed. */
  readonly firstGzip: string;
  /** Decompressed bytes per shard. */
  readonly shardBytes: readonly number[];
  readonly ruleDirs: readonly string[];
  readonly synthetic?: readonly SyntheticSummary[];
}

async function gunzipTo(file: string, target: string): Promise<void> {
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(target));
}

async function gunzippedBytes(file: string): Promise<number> {
  let n = 0;
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) n += chunk.length;
  });
  return n;
}

async function prepareCorpus(args: Args, tmp: string): Promise<Corpus> {
  const sharedDir = path.join(SHARED, 'corpora/real-windows');
  const wanted = args.quick ? 1 : (args.shards ?? 10);
  if (!args.synthetic && fs.existsSync(sharedDir)) {
    const all = fs
      .readdirSync(sharedDir)
      .filter((f) => /^otrf-windows-\d+\.jsonl\.gz$/.test(f))
      .sort()
      .map((f) => path.join(sharedDir, f));
    const shards = all.slice(0, wanted);
    const firstPlain = path.join(tmp, path.basename(shards[0]!).replace(/\.gz$/, ''));
    await gunzipTo(shards[0]!, firstPlain);
    const shardBytes = [fs.statSync(firstPlain).size];
    for (const s of shards.slice(1)) shardBytes.push(await gunzippedBytes(s));
    const ruleDirs = [path.join(SHARED, 'conformance/sigmac/rules'), path.join(SHARED, 'corpora/sigma-regression/rules')].filter((d) => fs.existsSync(d));
    return { kind: 'shared', shards, firstPlain, firstGzip: shards[0]!, shardBytes, ruleDirs };
  }
  if (!args.synthetic) console.log(`no shared corpus at ${sharedDir}: generating a synthetic one (corpora/synthetic, seed ${args.seed})`);
  const shards: string[] = [];
  const summaries: SyntheticSummary[] = [];
  for (let i = 0; i < wanted; i++) {
    const file = path.join(tmp, `synthetic-${String(i).padStart(3, '0')}.jsonl`);
    const started = Date.now();
    summaries.push(writeSynthetic(file, { seed: args.seed + i, bytes: args.syntheticMb * 1e6 }));
    console.log(`  generated ${path.basename(file)}: ${summaries[i]!.events} events, ${(summaries[i]!.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    shards.push(file);
  }
  const firstGzip = `${shards[0]!}.gz`;
  await pipeline(fs.createReadStream(shards[0]!), zlib.createGzip(), fs.createWriteStream(firstGzip));
  return { kind: 'synthetic', shards, firstPlain: shards[0]!, firstGzip, shardBytes: summaries.map((s) => s.bytes), ruleDirs: [path.join(ROOT, 'rules')], synthetic: summaries };
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...ruleFiles(full));
    else if (/\.ya?ml$/i.test(e.name)) out.push(full);
  }
  return out;
}

/** `count` rule files spread evenly over the sorted list (every category represented), copied to a dir. */
function ruleSubset(files: readonly string[], count: number, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const f = files[Math.floor((i * files.length) / count)]!;
    fs.copyFileSync(f, path.join(dir, `${String(i).padStart(5, '0')}-${path.basename(f)}`));
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------
// Measurements

interface ToolResult {
  readonly tool: string;
  readonly command: string;
  readonly seconds: number | undefined;
  readonly runs: readonly number[];
  readonly count: number | undefined;
  readonly peakKb: number | undefined;
  readonly load: number;
  readonly skipped?: string;
}

interface ScanResult {
  readonly label: string;
  readonly command: string;
  readonly shards: number;
  readonly rules: number | undefined;
  readonly bytes: number;
  readonly events: number | undefined;
  readonly detections: number | undefined;
  readonly seconds: number;
  readonly eventsPerSecond: number | undefined;
  readonly mbPerSecond: number;
  readonly peakKb: number | undefined;
  readonly load: number;
  readonly status: number | null;
}

const failures: string[] = [];

function fail(message: string): void {
  failures.push(message);
  console.log(`\n!!! FAILURE: ${message}\n`);
}

function sumCounts(stdout: string): number {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .reduce((n, l) => n + Number(l.split('\t')[0]), 0);
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function commandText(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellWord).join(' ');
}

async function tool(
  label: string,
  runs: number,
  command: string,
  args: readonly string[],
  count: (t: Timed) => number | undefined,
  env?: NodeJS.ProcessEnv,
): Promise<ToolResult> {
  const t = await bestOf(runs, command, args, env);
  const text = commandText(command, args);
  if (t.status !== 0 && t.status !== 1) {
    fail(`${label} exited with ${t.status}: ${t.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
    return { tool: label, command: text, seconds: undefined, runs: t.all, count: undefined, peakKb: t.peakKb, load: t.load, skipped: `exit ${t.status}` };
  }
  return { tool: label, command: text, seconds: t.seconds, runs: t.all, count: count(t), peakKb: t.peakKb, load: t.load };
}

async function singleRule(corpus: Corpus, runs: number, rg: string | undefined): Promise<{ pattern: string; results: ToolResult[] }> {
  const compiled = spawnSync(process.execPath, [SIGREP, 'compile', '--fields', 'json', '--format', 'regex', SINGLE_RULE], { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`sigrep compile failed: ${compiled.stderr}`);
  const pattern = compiled.stdout.trim();
  const node = process.execPath;
  const scanArgs = (input: string): string[] => [SIGREP, 'scan', '-r', SINGLE_RULE, '--format', 'count', '--no-summary', input];
  const results: ToolResult[] = [];
  results.push(await tool('sigrep scan (plain)', runs, node, scanArgs(corpus.firstPlain), (t) => sumCounts(t.stdout)));
  results.push(await tool('sigrep scan (.gz)', runs, node, scanArgs(corpus.firstGzip), (t) => sumCounts(t.stdout)));
  if (INHERITED_ENV_NOTE.length > 0) {
    results.push(await tool(`sigrep scan (plain, with ${INHERITED_ENV_NOTE.join(' ')})`, runs, node, scanArgs(corpus.firstPlain), (t) => sumCounts(t.stdout), process.env));
  }
  results.push(await tool('grep -P', runs, 'grep', ['-P', '-i', '-c', pattern, corpus.firstPlain], (t) => Number(t.stdout.trim())));
  if (rg) {
    results.push(await tool('rg -P', runs, 'rg', ['-P', '-i', '-c', pattern, corpus.firstPlain], (t) => Number(t.stdout.trim() || 0)));
    results.push(await tool(`rg -F floor`, runs, 'rg', ['-c', '-i', '-F', FLOOR_LITERAL, corpus.firstPlain], (t) => Number(t.stdout.trim() || 0)));
  } else {
    const skipped = 'ripgrep is not installed (Debian: apt-get install ripgrep)';
    results.push({ tool: 'rg -P', command: '', seconds: undefined, runs: [], count: undefined, peakKb: undefined, load: os.loadavg()[0]!, skipped });
    results.push({ tool: 'rg -F floor', command: '', seconds: undefined, runs: [], count: undefined, peakKb: undefined, load: os.loadavg()[0]!, skipped });
  }
  // The same matches from every tool that runs the rule; the floor counts a literal, not the rule.
  const counted = results.filter((r) => r.tool !== 'rg -F floor' && r.count !== undefined);
  const distinct = new Set(counted.map((r) => r.count));
  if (distinct.size > 1) fail(`match counts differ for ${path.basename(SINGLE_RULE)}: ${counted.map((r) => `${r.tool} ${String(r.count)}`).join(', ')}`);
  const expected = corpus.synthetic?.[0]?.planted['PowerShell Network Connections'];
  if (expected !== undefined && counted[0]?.count !== expected) fail(`synthetic shard plants ${expected} matches of the rule, tools found ${String(counted[0]?.count)}`);
  return { pattern, results };
}

function parseSummary(stderr: string): { events?: number; detections?: number; rules?: number } {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(stderr);
    return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
  };
  const out: { events?: number; detections?: number; rules?: number } = {};
  const events = num(/= ([\d,]+) events evaluated/);
  const detections = num(/^detections: ([\d,]+)/m);
  const rules = num(/^rules: ([\d,]+) loaded/m);
  if (events !== undefined) out.events = events;
  if (detections !== undefined) out.detections = detections;
  if (rules !== undefined) out.rules = rules;
  return out;
}

async function scanOnce(label: string, ruleArgs: readonly string[], inputs: readonly string[], bytes: number, extra: readonly string[] = []): Promise<ScanResult> {
  const args = [SIGREP, 'scan', ...ruleArgs.flatMap((r) => ['-r', r]), '--format', 'count', ...extra, ...inputs];
  const t = await runTimed(process.execPath, args);
  if (t.status !== 0 && t.status !== 1) fail(`${label}: sigrep scan exited with ${t.status}`);
  const s = parseSummary(t.stderr);
  return {
    label,
    command: commandText('sigrep', args.slice(1)),
    shards: inputs.length,
    rules: s.rules,
    bytes,
    events: s.events,
    detections: s.detections,
    seconds: t.seconds,
    eventsPerSecond: s.events !== undefined ? s.events / t.seconds : undefined,
    mbPerSecond: bytes / 1e6 / t.seconds,
    peakKb: t.peakKb,
    load: t.load,
    status: t.status,
  };
}

function evtx(): { output: string; status: number | null; load: number } {
  const load = os.loadavg()[0]!;
  const script = path.join(ROOT, 'dist/bench/evtx-throughput.js');
  const r = spawnSync(process.execPath, [script, '5'], { encoding: 'utf8' });
  return { output: `${r.stdout}${r.stderr}`.trim(), status: r.status, load };
}

// ---------------------------------------------------------------------------------------------------
// Report

const f1 = (x: number | undefined, digits = 2): string => (x === undefined ? '—' : x.toFixed(digits));
const mb = (kb: number | undefined): string => (kb === undefined ? '—' : `${(kb / 1024).toFixed(0)} MB`);
const count = (n: number | undefined): string => (n === undefined ? '—' : n.toLocaleString('en-US'));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-bench-run-'));
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  // A plan cache of the run's own, empty at the start: the first full-set scan plans (cold), the later reuse it.
  process.env['SIGREP_CACHE_DIR'] = path.join(tmp, 'plan-cache');
  const started = new Date();
  const grepVersion = versionLine('grep');
  const rgVersion = versionLine('rg');
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}` };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB; node ${process.version}`);
  if (INHERITED_ENV_NOTE.length > 0) console.log(`tools run without ${INHERITED_ENV_NOTE.join(', ')} (Node parses the CA bundle at every start, ~50 ms; sigrep makes no TLS connection)`);
  console.log(`grep: ${grepVersion ?? 'not found'}; rg: ${rgVersion ?? 'NOT INSTALLED: the rg lines are skipped (Debian: apt-get install ripgrep)'}`);
  if (!hasTime) console.log(`${TIME} not found: peak RSS is polled from /proc (VmHWM)`);

  const corpus = await prepareCorpus(args, tmp);
  const shardCount = corpus.shards.length;
  const totalBytes = corpus.shardBytes.reduce((a, b) => a + b, 0);
  console.log(`corpus: ${corpus.kind}, ${shardCount} shard${shardCount === 1 ? '' : 's'}, ${(totalBytes / 1e6).toFixed(0)} MB decompressed; rules: ${corpus.ruleDirs.join(', ')}`);

  // 1. One rule, every tool, the same plain file.
  console.log(`\n[1/5] ${path.relative(ROOT, SINGLE_RULE)} over ${path.basename(corpus.firstPlain)} (best of ${args.runs}; load ${os.loadavg()[0]!.toFixed(2)})`);
  const single = await singleRule(corpus, args.runs, rgVersion ? 'rg' : undefined);
  const sigrepPlain = single.results[0]!.seconds;
  const byTool = (name: string): number | undefined => single.results.find((r) => r.tool === name)?.seconds;
  const ratios = {
    grepOverSigrep: sigrepPlain && byTool('grep -P') ? byTool('grep -P')! / sigrepPlain : undefined,
    rgOverSigrep: sigrepPlain && byTool('rg -P') ? byTool('rg -P')! / sigrepPlain : undefined,
    sigrepOverFloor: sigrepPlain && byTool('rg -F floor') ? sigrepPlain / byTool('rg -F floor')! : undefined,
    gzOverPlain: sigrepPlain && byTool('sigrep scan (.gz)') ? byTool('sigrep scan (.gz)')! / sigrepPlain : undefined,
  };
  console.log(
    table(
      ['tool', 'best s', 'runs (s)', 'matches', 'peak RSS', 'load'],
      single.results.map((r) => [r.tool, r.skipped ? `skipped: ${r.skipped}` : f1(r.seconds, 3), r.runs.map((x) => x.toFixed(2)).join(' '), count(r.count), mb(r.peakKb), r.load.toFixed(2)]),
    ),
  );
  console.log(
    `ratios: grep -P / sigrep = ${f1(ratios.grepOverSigrep)} (target ≥ 3); rg -P / sigrep = ${f1(ratios.rgOverSigrep)}; ` +
      `sigrep / rg -F floor = ${f1(ratios.sigrepOverFloor)} (target ≤ 3); sigrep .gz / plain = ${f1(ratios.gzOverPlain)}`,
  );

  // 2. + 3. The full rule set over every shard, and the input-size series (the largest point is the full run).
  const sizes = args.quick ? [shardCount] : [...new Set([...INPUT_SERIES.filter((n) => n < shardCount), shardCount])];
  console.log(`\n[2/5] full rule set, input series ${sizes.join(', ')} shard(s) (one run each; gzip inputs as a user has them)`);
  const cold = await scanOnce(`${shardCount} shards, cold plan cache`, corpus.ruleDirs, corpus.shards, totalBytes);
  console.log(`  ${cold.label} (rules planned in this run): ${cold.seconds.toFixed(1)} s, ${count(cold.eventsPerSecond && Math.round(cold.eventsPerSecond))} events/s, peak ${mb(cold.peakKb)} (load ${cold.load.toFixed(2)}); the series below reuses the plan`);
  const series: ScanResult[] = [];
  for (const n of sizes) {
    const bytes = corpus.shardBytes.slice(0, n).reduce((a, b) => a + b, 0);
    const r = await scanOnce(`${n} shard${n === 1 ? '' : 's'}`, corpus.ruleDirs, corpus.shards.slice(0, n), bytes);
    console.log(`  ${r.label}: ${r.seconds.toFixed(1)} s, ${count(r.events)} events, ${count(r.detections)} detections, peak ${mb(r.peakKb)} (load ${r.load.toFixed(2)})`);
    series.push(r);
  }
  const full = series[series.length - 1]!;
  const first = series[0]!;
  console.log(
    table(
      ['shards', 'MB', 'seconds', 'events/s', 'MB/s', 'peak RSS', 'detections', 's per GB', 'load'],
      series.map((r) => [String(r.shards), (r.bytes / 1e6).toFixed(0), r.seconds.toFixed(1), count(r.eventsPerSecond && Math.round(r.eventsPerSecond)), r.mbPerSecond.toFixed(1), mb(r.peakKb), count(r.detections), (r.seconds / (r.bytes / 1e9)).toFixed(1), r.load.toFixed(2)]),
    ),
  );
  console.log(
    `full set: ${count(full.rules)} rules, ${count(full.events)} events in ${full.seconds.toFixed(1)} s with the plan from the cache (${cold.seconds.toFixed(1)} s cold, planning included): ` +
      `${count(full.eventsPerSecond && Math.round(full.eventsPerSecond))} events/s (${count(cold.eventsPerSecond && Math.round(cold.eventsPerSecond))} cold; target ≥ 100,000), ` +
      `${full.mbPerSecond.toFixed(1)} MB/s, peak RSS ${mb(full.peakKb)} (target < 500 MB); linearity: s/GB at ${full.shards} shards / at ${first.shards} = ` +
      `${((full.seconds / full.bytes) / (first.seconds / first.bytes)).toFixed(2)} (1 = linear)`,
  );

  // 4. Rule-count series on the first shard.
  const allRules = corpus.ruleDirs.flatMap(ruleFiles);
  const counts = allRules.length > RULE_SERIES[0]! ? RULE_SERIES.filter((n) => n < allRules.length) : [1, Math.ceil(allRules.length / 2)].filter((n) => n < allRules.length);
  console.log(`\n[3/5] rule-count series on the first shard (${counts.join(', ')} and all ${allRules.length} rule files; one run each; planning included)`);
  const ruleSeries: ScanResult[] = [];
  for (const n of counts) {
    const dir = ruleSubset(allRules, n, path.join(tmp, `rules-${n}`));
    ruleSeries.push(await scanOnce(`${n} rule files`, [dir], [corpus.shards[0]!], corpus.shardBytes[0]!, ['--no-plan-cache']));
  }
  ruleSeries.push(await scanOnce(`all ${allRules.length} rule files`, corpus.ruleDirs, [corpus.shards[0]!], corpus.shardBytes[0]!, ['--no-plan-cache']));
  console.log(
    table(
      ['rule files', 'rules loaded', 'seconds', 'events/s', 'peak RSS', 'detections', 'load'],
      ruleSeries.map((r) => [r.label, count(r.rules), r.seconds.toFixed(1), count(r.eventsPerSecond && Math.round(r.eventsPerSecond)), mb(r.peakKb), count(r.detections), r.load.toFixed(2)]),
    ),
  );

  // 5. EVTX decoder.
  console.log('\n[4/5] EVTX decoder (bench/evtx-throughput, 5 rounds)');
  const ev = evtx();
  console.log(ev.status === 0 ? ev.output.replace(/^/gm, '  ') : `  skipped: ${ev.output.split('\n')[0] ?? `exit ${ev.status}`}`);

  const result = {
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    machine,
    node: process.version,
    grep: grepVersion ?? null,
    environmentRemovedFromTools: INHERITED_ENV_NOTE,
    rg: rgVersion ?? null,
    loadAtStart: os.loadavg(),
    options: args,
    corpus: { kind: corpus.kind, shards: corpus.shards, bytes: totalBytes, shardBytes: corpus.shardBytes, ruleDirs: corpus.ruleDirs, ruleFiles: allRules.length, synthetic: corpus.synthetic ?? null },
    singleRule: { rule: path.relative(ROOT, SINGLE_RULE), input: corpus.firstPlain, pattern: single.pattern, runs: args.runs, results: single.results, ratios },
    fullRuleSet: full,
    fullRuleSetColdPlanCache: cold,
    inputSeries: series,
    ruleSeries,
    evtx: ev,
    failures,
  };
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n[5/5] results: ${path.relative(process.cwd(), out)}`);
  if (failures.length > 0) {
    console.log(`\n!!! ${failures.length} FAILURE(S):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 2;
});
