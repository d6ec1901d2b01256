import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadRuleSet } from '../../src/api';
import { benchRules, BENCH_REPORT_FORMAT, BENCH_REPORT_VERSION, describeReason, HUGE_EXPANSION_LEAVES, isLeadingWildcardRegex, type BenchReport, type SlowReason } from '../../src/benchmark';
import { BUNDLED_RULES, scanCounts, sigrep, smallCorpus } from './helpers';

const corpus = smallCorpus(21, 4000);

function rule(title: string, body: string): { file: string; text: string } {
  const text = `title: ${title}\nid: ${title.toLowerCase().replace(/\W+/g, '-')}\nlogsource:\n    product: windows\n    service: sysmon\n${body}level: low\n`;
  return { file: `hand/${title.replace(/\W+/g, '_')}.yml`, text };
}

/** Hand-made rules, each written to provoke one reason. */
const HAND_MADE = [
  rule('Only A Not', "detection:\n    selection:\n        Image|endswith: '\\\\nothing-like-this.exe'\n    condition: not selection\n"),
  rule('Leading Wildcard Regex', "detection:\n    selection:\n        CommandLine|re: '.*hidden.*'\n    condition: selection\n"),
  rule(
    'Huge Expansion',
    `detection:\n    selection:\n        CommandLine|contains:\n${Array.from({ length: HUGE_EXPANSION_LEAVES + 6 }, (_, i) => `            - 'needle-${i}-xyz'\n`).join('')}    condition: selection\n`,
  ),
  rule('Keyword Rule', "detection:\n    keywords:\n        - 'zebra-unlikely'\n    condition: keywords\n"),
  rule('Common Literal', "detection:\n    selection:\n        Hostname|endswith: '.corp.example'\n    condition: selection\n"),
  rule('Plain Literal', "detection:\n    selection:\n        Image|endswith: '\\\\mstsc.exe'\n    condition: selection\n"),
];

async function benchHandMade(): Promise<BenchReport> {
  const set = loadRuleSet(HAND_MADE);
  // Without the logsource mapping, so the channel literal a logsource adds does not hide what the detection lacks.
  const { report } = await benchRules(set, { mapping: null, fieldResolution: 'sigma' }, { inputs: [corpus.plain], noGrep: true });
  return report;
}

function reasonsOf(report: BenchReport, title: string): SlowReason['kind'][] {
  const r = report.rules.find((x) => x.title === title);
  if (!r) throw new Error(`no rule ${title}`);
  return r.reasons.map((x) => x.kind);
}

test('the report adds up: shares sum to 1, detections and pass rates follow the counts', async (t) => {
  const r = await sigrep(['bench', '-r', BUNDLED_RULES, '--skip-grep', '--json', corpus.plain]);
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as BenchReport;
  const shares = report.rules.reduce((n, x) => n + x.share, 0);
  t.true(Math.abs(shares - 1) < 1e-9, `shares sum to ${shares}`);
  t.is(report.totals.events, corpus.summary.events);
  t.is(report.totals.lines, corpus.summary.events);
  t.is(report.totals.bytes, corpus.summary.bytes);
  t.is(report.rules.reduce((n, x) => n + x.detections, 0), report.totals.detections);
  t.is(report.totals.ruleNanos, report.rules.reduce((n, x) => n + x.nanos, 0));
  t.true(report.totals.prefilterNanos + report.totals.parseNanos + report.totals.ruleNanos <= report.totals.wallNanos);
  for (const x of report.rules) {
    t.is(x.passRate, x.evaluated / report.totals.events);
    t.true(x.evaluated <= report.totals.parsedLines);
    t.true(x.detections <= x.evaluated);
  }
  // Slowest first.
  for (let i = 1; i < report.rules.length; i++) t.true(report.rules[i - 1]!.nanos >= report.rules[i]!.nanos);
});

test('detections equal sigrep scan\'s count for the same rules and input (plain and gzip)', async (t) => {
  const counts = await scanCounts([BUNDLED_RULES], [corpus.plain]);
  for (const input of [corpus.plain, corpus.gzip]) {
    const r = await sigrep(['bench', '-r', BUNDLED_RULES, '--skip-grep', '--json', input]);
    const report = JSON.parse(r.stdout) as BenchReport;
    t.is(report.totals.bytes, corpus.summary.bytes, 'decompressed bytes');
    for (const rule of report.rules) t.is(rule.detections, counts.get(rule.title) ?? 0, `${rule.title} over ${path.basename(input)}`);
  }
});

test('reasons are right for hand-made rules', async (t) => {
  const report = await benchHandMade();
  t.deepEqual(reasonsOf(report, 'Only A Not'), ['no-literal']);
  t.true(reasonsOf(report, 'Leading Wildcard Regex').includes('leading-wildcard-regex'));
  t.false(reasonsOf(report, 'Leading Wildcard Regex').includes('regex'));
  t.true(reasonsOf(report, 'Huge Expansion').includes('huge-expansion'));
  t.true(reasonsOf(report, 'Keyword Rule').includes('keyword'));
  t.true(reasonsOf(report, 'Common Literal').includes('common-literal'), JSON.stringify(report.rules.find((x) => x.title === 'Common Literal')));
  t.deepEqual(reasonsOf(report, 'Plain Literal'), []);
  const onlyNot = report.rules.find((x) => x.title === 'Only A Not')!;
  t.is(onlyNot.passRate, 1);
  t.is(describeReason({ kind: 'no-literal' }), 'no usable literal (evaluated on every event)');
  t.true(report.byReason.some((g) => g.kind === 'no-literal' && g.rules === 1));
  t.true(report.byReason.some((g) => g.kind === 'none' && g.rules === 1));
});

test('leading-wildcard regex detection', (t) => {
  t.true(isLeadingWildcardRegex('(?s:.*hidden.*)'));
  t.true(isLeadingWildcardRegex('(?si:^.*\\\\foo\\.exe$)'));
  t.true(isLeadingWildcardRegex('.+x'));
  t.false(isLeadingWildcardRegex('(?si:^foo.*bar$)'));
  t.false(isLeadingWildcardRegex('\\.\\*literal'));
});

test('--json schema', async (t) => {
  const r = await sigrep(['bench', '-r', BUNDLED_RULES, '--skip-grep', '--json', corpus.plain]);
  const report = JSON.parse(r.stdout) as Record<string, unknown>;
  t.is(report.format, BENCH_REPORT_FORMAT);
  t.is(report.version, BENCH_REPORT_VERSION);
  t.deepEqual(Object.keys(report).sort(), ['byReason', 'format', 'grep', 'inputs', 'issues', 'notLoaded', 'prefilterEngine', 'rules', 'totals', 'version']);
  const totals = report.totals as Record<string, unknown>;
  for (const k of ['files', 'bytes', 'lines', 'events', 'parsedLines', 'gatedLines', 'emptyLines', 'unparsedLines', 'tooLongLines', 'detections', 'wallNanos', 'prefilterNanos', 'parseNanos', 'ruleNanos', 'otherNanos', 'eventsPerSecond', 'mbPerSecond']) {
    t.is(typeof totals[k], 'number', k);
  }
  const rules = report.rules as Record<string, unknown>[];
  t.is(rules.length, 6);
  for (const x of rules) {
    t.deepEqual(Object.keys(x).sort(), ['detections', 'evaluated', 'file', 'id', 'index', 'leaves', 'level', 'nanos', 'nanosPerEvaluation', 'nanosPerEvent', 'nanosPerMB', 'passRate', 'reasons', 'share', 'title'].sort());
    t.true(Array.isArray(x.reasons));
  }
  t.deepEqual(report.grep, []);
});

test('the text report lists the slowest rules with their reasons', async (t) => {
  const r = await sigrep(['bench', '-r', BUNDLED_RULES, '--skip-grep', '--top', '2', corpus.plain]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^input: 1 file, .* 4,000 events/m);
  t.regex(r.stdout, /^slowest 2 of 6 rules/m);
  t.regex(r.stdout, /^rule time by reason: /m);
});

const hasGrepP = spawnSync('grep', ['-P', '-c', 'x', '/dev/null']).status === 1;

(hasGrepP ? test : test.skip)('grep -P beside the plan: a chosen rule by title gives the same count both ways', async (t) => {
  const r = await sigrep(['bench', '-r', BUNDLED_RULES, '--json', '--grep', 'PowerShell Network Connections', '--grep', 'no-such-rule', corpus.gzip]);
  const report = JSON.parse(r.stdout) as BenchReport;
  t.is(report.grep.length, 2);
  const [measured, unknown] = report.grep;
  if (measured?.kind !== 'measured') return t.fail(JSON.stringify(measured));
  t.is(measured.grepCount, corpus.summary.planted['PowerShell Network Connections']);
  t.is(measured.planCount, measured.grepCount);
  t.true(measured.grepNanos > 0 && measured.planNanos > 0);
  t.is(measured.note, undefined);
  t.is(unknown?.kind, 'skipped');
});

test('stdin is refused: grep needs files', async (t) => {
  const r = await sigrep(['bench', '-r', BUNDLED_RULES, '-']);
  t.is(r.code, 2);
  t.regex(r.stderr, /not stdin/);
});
