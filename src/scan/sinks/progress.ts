/**
 * A one-line progress display (bytes, %, bytes/s, ETA when the total is known), redrawn in place.
 * It writes only to a TTY: redirected stderr stays clean for logs.
 */
import { formatBytes, formatDuration } from '../format';
import type { ScanProgress, ScanSink } from '../types';

export function formatProgress(p: ScanProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.bytesRead / seconds : 0;
  const parts = [`${p.filesDone}/${p.files} files`];
  if (p.totalBytes !== undefined && p.totalBytes > 0) {
    const pct = Math.min(100, (100 * p.bytesRead) / p.totalBytes);
    parts.push(`${formatBytes(p.bytesRead)} / ${formatBytes(p.totalBytes)} (${pct.toFixed(0)}%)`);
  } else {
    parts.push(formatBytes(p.bytesRead));
  }
  parts.push(`${formatBytes(rate)}/s`);
  if (p.totalBytes !== undefined && rate > 0 && p.bytesRead < p.totalBytes) {
    parts.push(`ETA ${formatDuration((1000 * (p.totalBytes - p.bytesRead)) / rate)}`);
  }
  if (p.file !== undefined) parts.push(p.file);
  return parts.join('  ');
}

interface TtyLike extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function progressSink(out: TtyLike): ScanSink {
  if (!out.isTTY) return {};
  let shown = false;
  const clear = (): void => {
    if (shown) out.write('\r\x1b[K');
    shown = false;
  };
  return {
    progress(p: ScanProgress): void {
      const width = Math.max(20, (out.columns ?? 80) - 1);
      const line = formatProgress(p);
      out.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    // Clear before other output of the same stream would interleave with the progress line.
    issue: clear,
    end: clear,
  };
}
