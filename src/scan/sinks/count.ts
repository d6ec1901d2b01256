/** `-c`: detections per rule (`count<TAB>id<TAB>title`, rule order) or one total, printed at the end. */
import type { RuleCount, ScanSink, ScanSummary } from '../types';

export interface CountOptions {
  readonly mode: 'per-rule' | 'total';
  /** List rules without detections too (per-rule mode). */
  readonly includeZero?: boolean;
}

export function renderCounts(counts: readonly RuleCount[], options: CountOptions): string {
  if (options.mode === 'total') return `${counts.reduce((n, c) => n + c.count, 0)}\n`;
  return counts
    .filter((c) => options.includeZero || c.count > 0)
    .map((c) => `${c.count}\t${c.rule.id}\t${c.rule.title}\n`)
    .join('');
}

export function countSink(out: NodeJS.WritableStream, options: CountOptions): ScanSink {
  return {
    end(summary: ScanSummary): void {
      out.write(renderCounts(summary.detectionsPerRule, options));
    },
  };
}
