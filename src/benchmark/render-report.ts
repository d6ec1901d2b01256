/** The bench report as text: totals, where the time went, the slowest rules with reasons, grep beside the plan. */
import { formatBytes, formatCount, formatDuration } from '../scan/format';
import { describeReason } from './slow-reasons';
import type { BenchReport, ReasonShare, RuleCost } from './types';

const REASON_LABEL: Readonly<Record<ReasonShare['kind'], string>> = {
  'no-literal': 'no usable literal',
  'common-literal': 'common literal',
  'huge-expansion': 'huge expansion',
  'leading-wildcard-regex': 'leading-wildcard regex',
  regex: 'regex',
  keyword: 'keyword',
  none: 'no reason found',
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (nanos: number): string => formatDuration(nanos / 1e6);

function nanosText(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} ms`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} µs`;
  return `${n.toFixed(0)} ns`;
}

function ruleName(r: { id: string; title: string; file: string }): string {
  return `${r.title}${r.id ? ` [${r.id}]` : ''} (${r.file})`;
}

function ruleRow(r: RuleCost): string[] {
  return [pct(r.share), nanosText(r.nanosPerEvent), nanosText(r.nanosPerMB), nanosText(r.nanosPerEvaluation), pct(r.passRate), formatCount(r.detections), ruleName(r)];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : (r[i] ?? '').length))));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function renderBenchReport(report: BenchReport, options: { top: number }): string {
  const t = report.totals;
  const out: string[] = [];
  out.push(
    `input: ${formatCount(t.files)} file${t.files === 1 ? '' : 's'}, ${formatBytes(t.bytes)}, ${formatCount(t.lines)} lines, ${formatCount(t.events)} events ` +
      `(${formatCount(t.parsedLines)} parsed; ${formatCount(t.gatedLines)} more were candidates ruled out unparsed by their EventID/Channel gate), ` +
      `${formatCount(t.detections)} detections`,
  );
  out.push(
    `time: ${ms(t.wallNanos)} in one thread with the profiler on (${formatCount(Math.round(t.eventsPerSecond))} events/s, ${t.mbPerSecond.toFixed(1)} MB/s; ` +
      `prefilter engine ${report.prefilterEngine})`,
  );
  const w = t.wallNanos || 1;
  out.push(
    `where: prefilter ${pct(t.prefilterNanos / w)}, parse ${pct(t.parseNanos / w)}, rules ${pct(t.ruleNanos / w)}, ` +
      `other ${pct(t.otherNanos / w)} (read, gunzip, framing, profiler)`,
  );
  const loaded = report.rules.length;
  const top = report.rules.slice(0, options.top);
  out.push('');
  out.push(`slowest ${top.length} of ${formatCount(loaded)} rules (share of the rules' ${ms(t.ruleNanos)}; per event and per MB of input; per evaluation; pass = evaluated / events):`);
  out.push(table(['share', 'per event', 'per MB', 'per eval', 'pass', 'detections', 'rule'], top.map(ruleRow)));
  out.push('  (a rule is charged for the leaves it evaluates first on an event, and the first rule evaluated on an event for indexing its fields)');
  for (const r of top) {
    if (r.reasons.length > 0) out.push(`  ${r.title}: ${r.reasons.map(describeReason).join('; ')}`);
  }
  out.push(
    `rule time by reason: ${report.byReason.map((g) => `${REASON_LABEL[g.kind]} ${pct(g.share)} (${formatCount(g.rules)} rule${g.rules === 1 ? '' : 's'})`).join(', ')}`,
  );
  if (report.grep.length > 0) {
    out.push('');
    out.push('grep -P (the --fields json one-liner, process start included) beside the plan (the rule alone, in-process, same plain input):');
    for (const g of report.grep) {
      if (g.kind === 'skipped') {
        out.push(`  ${ruleName(g.rule)}: skipped: ${g.reason}`);
        continue;
      }
      const faster = g.speedup >= 1 ? `plan ${g.speedup.toFixed(2)}× faster` : `grep ${(1 / g.speedup).toFixed(2)}× faster`;
      out.push(`  ${ruleName(g.rule)}: grep ${ms(g.grepNanos)} (${formatCount(g.grepCount)}), plan ${ms(g.planNanos)} (${formatCount(g.planCount)}): ${faster}`);
      if (g.note) out.push(`    ${g.note}`);
    }
  }
  if (report.notLoaded.length > 0) out.push(`\nnot loaded: ${formatCount(report.notLoaded.length)} rules (run sigrep compile on them for the diagnostics)`);
  for (const i of report.issues) out.push(`input issue: ${i}`);
  return `${out.join('\n')}\n`;
}
