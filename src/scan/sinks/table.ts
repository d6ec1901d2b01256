/**
 * A rule × count table printed at the end, grouped by level (critical first) and sorted by count
 * within a level, then by title so equal counts keep a stable order.
 */
import type { RuleCount, ScanSink, ScanSummary } from '../types';

const LEVEL_ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

function levelRank(level: string): number {
  const i = LEVEL_ORDER.indexOf(level.toLowerCase());
  return i < 0 ? LEVEL_ORDER.length : i;
}

export interface TableOptions {
  readonly includeZero?: boolean;
}

export function renderTable(counts: readonly RuleCount[], options: TableOptions = {}): string {
  const rows = counts
    .filter((c) => options.includeZero || c.count > 0)
    .slice()
    .sort(
      (a, b) =>
        levelRank(a.rule.level) - levelRank(b.rule.level) ||
        a.rule.level.localeCompare(b.rule.level) ||
        b.count - a.count ||
        a.rule.title.localeCompare(b.rule.title) ||
        a.rule.id.localeCompare(b.rule.id),
    )
    .map((c) => [c.rule.level || '-', String(c.count), c.rule.title, c.rule.id]);
  if (rows.length === 0) return 'no detections\n';
  const header = ['LEVEL', 'COUNT', 'RULE', 'ID'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] as number) : i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

export function tableSink(out: NodeJS.WritableStream, options: TableOptions = {}): ScanSink {
  return {
    end(summary: ScanSummary): void {
      out.write(renderTable(summary.detectionsPerRule, options));
    },
  };
}
