import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/cli';
import { PROJECT_ROOT } from '../support/shared';

const PS_RULE = path.join(PROJECT_ROOT, 'rules', 'windows', 'sysmon', 'powershell_network_connections.yml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-cli-'));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

const GOOD = `title: Quote Test
logsource: {product: windows}
detection:
    sel:
        CommandLine|contains: "it's here"
    condition: sel
`;

test('one rule: the one-liner only, exit 0', async (t) => {
  const r = await runCli(['compile', PS_RULE]);
  t.is(r.code, 0);
  t.regex(r.stdout, /^grep -P -i '\^/);
  t.is(r.stdout.split('\n').filter(Boolean).length, 1);
  t.is(r.stderr, '');
});

test('several rules: a "# title (path)" line before each', async (t) => {
  const r = await runCli(['compile', path.join(PROJECT_ROOT, 'rules')]);
  t.is(r.code, 0);
  const headers = r.stdout.split('\n').filter((l) => l.startsWith('# '));
  t.true(headers.length >= 6);
  t.true(headers.some((h) => h === `# PowerShell Network Connections (${PS_RULE})`));
});

test('a single quote in a value survives the shell and still matches', async (t) => {
  const rule = write('quote.yml', GOOD);
  const r = await runCli(['compile', rule]);
  t.is(r.code, 0);
  const log = write('quote.log', "echo it's here\necho its here\n");
  const run = spawnSync('sh', ['-c', `${r.stdout.trim()} "$1"`, 'sh', log], { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  t.is(run.status, 0, run.stderr.toString());
  t.is(run.stdout.toString(), "echo it's here\n");
});

test('--format regex prints the bare pattern', async (t) => {
  const r = await runCli(['compile', '--format', 'regex', PS_RULE]);
  t.regex(r.stdout, /^\^\(\?=/);
});

test('a rejected rule: diagnostic with file:line:col and a caret on stderr, exit 1, the others still printed', async (t) => {
  const bad = write('bad.yml', `title: Bad\nlogsource: {product: windows}\ndetection:\n    sel:\n        Image|containz: x\n    condition: sel\n`);
  const r = await runCli(['compile', bad, PS_RULE]);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`${bad}:5:15: error[MODIFIER_UNKNOWN]`), r.stderr);
  t.true(r.stderr.includes('^'));
  t.true(r.stdout.includes('# PowerShell Network Connections'));
});

test('aggregations are reported as unsupported, by name', async (t) => {
  const agg = write('agg.yml', `title: Agg\nlogsource: {product: windows}\ndetection:\n    sel: {EventID: 4625}\n    condition: sel | count() by TargetUserName > 5\n`);
  const r = await runCli(['compile', agg]);
  t.is(r.code, 1);
  t.regex(r.stderr, /CONDITION_AGGREGATION_UNSUPPORTED.*count\(\)/);
});

test('a missing path is an I/O error: exit 2', async (t) => {
  const r = await runCli(['compile', path.join(dir, 'nope.yml')]);
  t.is(r.code, 2);
  t.regex(r.stderr, /IO_ERROR/);
});

test('usage errors exit 2', async (t) => {
  t.is((await runCli(['compile', '--target', 'nonsense', PS_RULE])).code, 2);
  t.is((await runCli(['frobnicate'])).code, 2);
});

test('--dialect sigmac reproduces legacy sigmac for the rule page rule, bugs included', async (t) => {
  const r = await runCli(['compile', '--dialect', 'sigmac', PS_RULE]);
  t.is(r.code, 0);
  t.true(r.stdout.includes('(?=.*.*\\powershell\\.exe)'), 'the unescaped backslash of legacy sigmac');
});

test('--explain prints the boolean logic', async (t) => {
  const r = await runCli(['compile', '--explain', PS_RULE]);
  t.is(r.code, 0);
  t.true(r.stdout.startsWith('AND\n'));
  t.true(r.stdout.includes('  NOT\n'));
  t.true(r.stdout.includes("Image matches '*\\\\powershell.exe'"));
});

test('--target plan prints a versioned matcher plan', async (t) => {
  const r = await runCli(['compile', '--target', 'plan', PS_RULE]);
  t.is(r.code, 0);
  const plan = JSON.parse(r.stdout) as { format: string; version: number; rules: unknown[] };
  t.is(plan.format, 'sigrep-matcher-plan');
  t.is(plan.version, 1);
  t.is(plan.rules.length, 1);
});

test('a regex RE2 cannot run is REGEX_NOT_RE2_SAFE for the plan target', async (t) => {
  const rule = write('lookbehind.yml', `title: LB\nlogsource: {product: windows}\ndetection:\n    sel:\n        CommandLine|re: '(?<!x)abc'\n    condition: sel\n`);
  const r = await runCli(['compile', '--target', 'plan', rule]);
  t.is(r.code, 1);
  t.regex(r.stderr, new RegExp(`${rule.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:\\d+: error\\[REGEX_NOT_RE2_SAFE\\]`));
});

test('--placeholders resolves |expand values; without it the rule is rejected', async (t) => {
  const rule = write('expand.yml', `title: Ex\nlogsource: {product: windows}\ndetection:\n    sel:\n        Computer|expand: '%DomainControllers%'\n    condition: sel\n`);
  const without = await runCli(['compile', rule]);
  t.is(without.code, 1);
  t.regex(without.stderr, /PLACEHOLDER_UNRESOLVED/);
  const values = write('placeholders.yml', 'DomainControllers: [dc01, dc02]\n');
  const withFile = await runCli(['compile', '--fields', 'json', '--placeholders', values, rule]);
  t.is(withFile.code, 0);
  t.true(withFile.stdout.includes('dc01') && withFile.stdout.includes('dc02'));
});

test('query targets: each default-dialect output names the fields; sigmac dialect is available for four of them', async (t) => {
  for (const target of ['es-qs', 'xpack-watcher', 'graylog', 'splunk', 'logpoint']) {
    const r = await runCli(['compile', '--target', target, PS_RULE]);
    t.is(r.code, 0, `${target}: ${r.stderr}`);
    t.true(r.stdout.includes('DestinationIp'), target);
    const legacy = await runCli(['compile', '--dialect', 'sigmac', '--target', target, PS_RULE]);
    if (target === 'xpack-watcher') {
      t.is(legacy.code, 1, 'no sigmac reference exists for xpack-watcher');
      t.regex(legacy.stderr, /SIGMAC_UNAVAILABLE/);
    } else {
      t.is(legacy.code, 0, `${target} (sigmac): ${legacy.stderr}`);
      t.not(legacy.stdout, r.stdout, `${target}: the default dialect differs from legacy sigmac's output`);
    }
  }
  const watcher = await runCli(['compile', '--target', 'xpack-watcher', PS_RULE]);
  t.notThrows(() => JSON.parse(watcher.stdout));
});
