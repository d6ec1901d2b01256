/** grep's exit status: 2 when an error was reported (after scanning what could be read), else 0 on detections, 1 on none. */
import type { ScanSummary } from './types';

export type ExitStatus = 0 | 1 | 2;

export function exitStatus(summary: Pick<ScanSummary, 'ok' | 'detections'>): ExitStatus {
  if (!summary.ok) return 2;
  return summary.detections > 0 ? 0 : 1;
}
