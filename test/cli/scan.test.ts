/** `sigrep scan` end to end with the real engine: the bundled sample, bad input, output formats, exit codes. */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runCli } from '../support/cli';
import { PROJECT_ROOT } from '../support/shared';

const RULES = path.join(PROJECT_ROOT, 'rules');
const SAMPLE = path.join(PROJECT_ROOT, 'corpora', 'sample');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-scan-cli-'));
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

interface Hit {
  rule: { title: string };
  file: string;
  line: number;
  offset: number;
  event: unknown;
}
const hits = (stdout: string): Hit[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Hit);
const key = (h: Hit) => `${path.basename(h.file)}:${h.line} ${h.rule.title}`;

const SYSMON_EVENT = JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\Windows\\System32\\whoami.exe', User: 'EXAMPLE\\eve' });

test('the bundled sample: exactly the events the sample was written to trigger', async (t) => {
  const r = await runCli(['scan', '-r', RULES, SAMPLE]);
  t.is(r.code, 0);
  // Written by hand with the sample (see corpora/README.md): which line of which file each rule must flag.
  t.deepEqual(hits(r.stdout).map(key).sort(), [
    'linux-auth.log:1 SSH Failed Password Or Invalid User',
    'linux-auth.log:2 SSH Failed Password Or Invalid User',
    'linux-auth.log:3 SSH Failed Password Or Invalid User',
    'linux-auth.log:4 SSH Failed Password Or Invalid User',
    'windows-security.jsonl.gz:1 Failed Logon For Administrator Account',
    'windows-sysmon.jsonl:1 PowerShell Network Connections',
    'windows-sysmon.jsonl:3 Outbound RDP To A Non-Private Address',
    'windows-sysmon.jsonl:5 Encoded PowerShell Command Line',
    'windows-sysmon.jsonl:6 Whoami Execution',
    'windows-sysmon.jsonl:9 Whoami Execution',
    'winlogbeat-ecs.jsonl:1 Encoded PowerShell Command Line',
  ]);
  t.regex(r.stderr, /lines: 19 = 19 events evaluated \+ 0 empty \+ 0 not parsed \+ 0 too long/);
});

test('offsets point at the line in the (decompressed) input', async (t) => {
  const r = await runCli(['scan', '-r', RULES, path.join(SAMPLE, 'windows-sysmon.jsonl')]);
  const text = fs.readFileSync(path.join(SAMPLE, 'windows-sysmon.jsonl'));
  for (const h of hits(r.stdout)) {
    const lineText = text.toString('utf8', h.offset, text.indexOf(10, h.offset));
    t.deepEqual(JSON.parse(lineText), h.event);
    t.is(text.subarray(0, h.offset).toString().split('\n').length, h.line);
  }
});

test('no detection: exit 1', async (t) => {
  const quiet = write('quiet.jsonl', `${JSON.stringify({ Channel: 'Security', EventID: 4624 })}\n`);
  const r = await runCli(['scan', '-r', RULES, quiet]);
  t.is(r.code, 1);
  t.is(r.stdout, '');
});

test('bad input is reported with its place and the scan goes on; every line is accounted for', async (t) => {
  const mixed = write('mixed.jsonl', [SYSMON_EVENT, '{"Channel": "Security", "EventID": 46', '{"Channel": "Microsoft-Windows-Sysmon/Operational", "Image": "whoami.exe" broken}', '', SYSMON_EVENT, '{not json, and no rule literal}', ''].join('\n'));
  const binary = write('binary.log', Buffer.alloc(4096, 0));
  const full = zlib.gzipSync(Buffer.from(`${SYSMON_EVENT}\n`.repeat(2000)));
  const truncated = write('truncated.jsonl.gz', full.subarray(0, Math.floor(full.length / 2)));
  const longLine = write('long.jsonl', `${JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\x\\whoami.exe', CommandLine: 'x'.repeat(10 * 1024 * 1024) })}\n${SYSMON_EVENT}\n`);
  const r = await runCli(['scan', '-r', RULES, mixed, binary, truncated, longLine, path.join(dir, 'missing.jsonl')]);
  t.is(r.code, 2, 'an error (truncated gzip, missing file) makes the exit status 2');
  const found = hits(r.stdout);
  t.true(found.some((h) => h.file === mixed && h.line === 1));
  t.true(found.some((h) => h.file === mixed && h.line === 5), 'lines after the bad ones are still scanned');
  t.true(found.some((h) => h.file === longLine && h.line === 1), 'a 10 MB line is scanned');
  t.true(found.some((h) => h.file === longLine && h.line === 2));
  t.true(found.filter((h) => h.file === truncated).length > 0, 'what was decompressed before the damage is scanned');
  t.true(r.stderr.includes(`${mixed}:2`), 'the incomplete JSON line is named by file:line');
  t.true(r.stderr.includes(`${mixed}:3`), r.stderr);
  t.true(r.stderr.includes(`${mixed}:6`), 'a malformed line no rule could match is reported too');
  t.regex(r.stderr, /binary/i);
  t.regex(r.stderr, /truncated|unexpected end/i);
  t.regex(r.stderr, /missing\.jsonl/);
  const m = /lines: ([\d,]+) = ([\d,]+) events evaluated \+ ([\d,]+) empty \+ ([\d,]+) not parsed \+ ([\d,]+) too long/.exec(r.stderr);
  t.truthy(m, r.stderr);
  const [lines, evaluated, empty, unparsed, tooLong] = m!.slice(1).map((x) => Number(x.replace(/,/g, '')));
  t.is(lines, evaluated! + empty! + unparsed! + tooLong!);
  t.true(unparsed! >= 3, 'the three bad lines (and the cut last line of the truncated gzip) are not parsed');
});

test('--format count and table, -l', async (t) => {
  const count = await runCli(['scan', '-r', RULES, '--format', 'count', SAMPLE]);
  t.regex(count.stdout, /^4\t[^\t]*\tSSH Failed Password Or Invalid User$/m);
  const table = await runCli(['scan', '-r', RULES, '--format', 'table', SAMPLE]);
  t.regex(table.stdout, /Whoami Execution/);
  const files = await runCli(['scan', '-r', RULES, '-l', SAMPLE]);
  t.deepEqual(files.stdout.split('\n').filter(Boolean).map((f) => path.basename(f)).sort(), ['linux-auth.log', 'windows-security.jsonl.gz', 'windows-sysmon.jsonl', 'winlogbeat-ecs.jsonl']);
});

test('--no-logsource runs a rule on events of other sources too', async (t) => {
  // A process-creation rule sees a Security event only when logsource gating is off.
  const ev = write('sec.jsonl', `${JSON.stringify({ Channel: 'Security', EventID: 4688, Image: 'C:\\x\\whoami.exe' })}\n`);
  const rule = path.join(RULES, 'windows', 'process_creation', 'proc_creation_win_whoami.yml');
  t.is((await runCli(['scan', '-r', rule, ev])).code, 1);
  t.is((await runCli(['scan', '-r', rule, '--no-logsource', ev])).code, 0);
});

test('a rule that cannot load is listed with its reason; the others run', async (t) => {
  const bad = write('bad-rule.yml', `title: Bad\nlogsource: {product: windows}\ndetection:\n    sel:\n        CommandLine|re: '(?<=x)y'\n    condition: sel\n`);
  const r = await runCli(['scan', '-r', bad, '-r', RULES, SAMPLE]);
  t.is(r.code, 0);
  t.regex(r.stderr, /REGEX_NOT_RE2_SAFE/);
  t.regex(r.stderr, /not loaded/i);
});

test('a large rule set is planned once and then read from the plan cache; --no-plan-cache leaves none', async (t) => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-plan-cache-'));
  const previous = process.env['SIGREP_CACHE_DIR'];
  process.env['SIGREP_CACHE_DIR'] = cache;
  try {
    const rules = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-large-rules-'));
    fs.cpSync(RULES, rules, { recursive: true });
    // A YAML comment makes the set large enough to be planned off-thread and cached.
    fs.appendFileSync(path.join(rules, 'linux', 'lnx_sshd_failed_password_root.yml'), `\n# ${'x'.repeat(1 << 20)}\n`);
    const args = ['scan', '-r', rules, SAMPLE, '--format', 'count'];
    const off = await runCli([...args, '--no-plan-cache']);
    t.deepEqual(fs.readdirSync(cache), [], '--no-plan-cache writes nothing');
    const first = await runCli(args);
    t.is(fs.readdirSync(cache).length, 1);
    const second = await runCli(args);
    t.is(second.stdout, first.stdout);
    t.is(first.stdout, off.stdout, 'the cached plan detects what a fresh plan does');
    t.is(second.code, off.code);
  } finally {
    if (previous === undefined) delete process.env['SIGREP_CACHE_DIR'];
    else process.env['SIGREP_CACHE_DIR'] = previous;
  }
});
