/**
 * Small text formatters shared by the sinks: issues as `file:line: severity[CODE]: message` (EVTX:
 * `file: chunk C, record R: ...`), sizes, rates, durations.
 */
import type { ScanIssue, UnparsedLine } from './types';

export function formatScanIssue(issue: ScanIssue): string {
  if (issue.file !== undefined && (issue.chunk !== undefined || issue.record !== undefined)) {
    const place = [issue.chunk !== undefined ? `chunk ${issue.chunk}` : '', issue.record !== undefined ? `record ${issue.record}` : ''].filter(Boolean).join(', ');
    return `${issue.file}: ${place}: ${issue.severity}[${issue.code}]: ${issue.message}`;
  }
  const where = issue.file === undefined ? '' : issue.line === undefined ? `${issue.file}: ` : `${issue.file}:${issue.line}: `;
  return `${where}${issue.severity}[${issue.code}]: ${issue.message}`;
}

export function formatUnparsed(u: UnparsedLine): string {
  return `${u.file}:${u.line}: ${u.reason}`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Decimal units (MB = 10^6 bytes), as throughput is usually quoted. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${UNITS[u]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/**
 * `73,218`: thousands separated by commas, as `toLocaleString('en-US')` writes them. Whole numbers are grouped
 * by hand because the first toLocaleString call loads ICU's locale data (~13 ms of a short scan's startup).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
