/**
 * The closing summary: files, lines (and how they were accounted), bytes, throughput, detections,
 * lines not parsed with the first few `file:line`, skipped files, rules loaded and not loaded.
 * The rules that could not be loaded are compiler results: the caller passes them as data.
 */
import { formatBytes, formatCount, formatDuration, formatScanIssue, formatUnparsed } from '../format';
import type { ScanSink, ScanSummary } from '../types';

export interface RuleNotLoaded {
  readonly file: string;
  readonly reason: string;
}

export interface SummaryOptions {
  readonly notLoaded?: readonly RuleNotLoaded[];
  /** How many errors to list (all are counted). */
  readonly maxErrors?: number;
}

export function renderSummary(s: ScanSummary, options: SummaryOptions = {}): string {
  const out: string[] = [];
  const inputs = s.files.scanned + s.files.partial + s.files.skipped.length;
  const fileNotes = [s.files.partial > 0 ? `${s.files.partial} partial` : '', s.files.skipped.length > 0 ? `${s.files.skipped.length} skipped` : '']
    .filter(Boolean)
    .join(', ');
  out.push(`files: ${formatCount(inputs)} (${formatCount(s.files.scanned)} scanned${fileNotes ? `, ${fileNotes}` : ''})`);
  const l = s.lines;
  out.push(
    `lines: ${formatCount(l.lines)} = ${formatCount(l.evaluated)} events evaluated + ${formatCount(l.emptyLines)} empty + ` +
      `${formatCount(l.unparsed)} not parsed + ${formatCount(l.tooLong)} too long`,
  );
  if (s.evtx) {
    const e = s.evtx;
    const damage = [
      e.chunksDamaged > 0 ? `${formatCount(e.chunksDamaged)} damaged chunks` : '',
      e.recordsSkipped > 0 ? `${formatCount(e.recordsSkipped)} damaged records skipped` : '',
      e.recordsUnverified > 0 ? `${formatCount(e.recordsUnverified)} records not verified (chunk checksum)` : '',
    ].filter(Boolean);
    out.push(`evtx: ${formatCount(e.files)} files, ${formatCount(e.chunks)} chunks (records count as lines)${damage.length > 0 ? `; ${damage.join(', ')}` : ''}`);
  }
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? ` (${formatBytes(s.bytes.decompressed / seconds)}/s)` : '';
  const read = s.bytes.read !== s.bytes.decompressed ? `, ${formatBytes(s.bytes.read)} read` : '';
  out.push(`bytes: ${formatBytes(s.bytes.decompressed)} scanned${read} in ${formatDuration(s.elapsedMs)}${rate}`);
  const matched = s.detectionsPerRule.filter((c) => c.count > 0).length;
  out.push(`detections: ${formatCount(s.detections)} (${matched} of ${s.rules.length} rules matched)`);
  if (l.unparsed > 0) {
    out.push(`lines not parsed: ${formatCount(l.unparsed)}${l.unparsed > s.unparsedSamples.length ? `, the first ${s.unparsedSamples.length}` : ''}:`);
    for (const u of s.unparsedSamples) out.push(`  ${formatUnparsed(u)}`);
  }
  if (s.files.skipped.length > 0) {
    out.push('files skipped:');
    for (const f of s.files.skipped) out.push(`  ${f.file}: ${f.reason}`);
  }
  for (const r of s.fileReports) if (r.status === 'partial') out.push(`partial: ${r.file}: ${r.reason ?? ''}`);
  const notLoaded = options.notLoaded ?? [];
  out.push(`rules: ${s.rules.length} loaded${notLoaded.length > 0 ? `, ${notLoaded.length} not loaded:` : ''}`);
  for (const r of notLoaded) out.push(`  ${r.file}: ${r.reason}`);
  if (s.errorCount > 0) {
    const max = options.maxErrors ?? 10;
    const errors = s.issues.filter((i) => i.severity === 'error');
    out.push(`errors: ${s.errorCount}${s.errorCount > max ? `, the first ${max}` : ''}:`);
    for (const e of errors.slice(0, max)) out.push(`  ${formatScanIssue(e)}`);
  }
  if (s.warningCount > 0) out.push(`warnings: ${s.warningCount}`);
  return `${out.join('\n')}\n`;
}

export function summarySink(out: NodeJS.WritableStream, options: SummaryOptions = {}): ScanSink {
  return {
    end(summary: ScanSummary): void {
      out.write(renderSummary(summary, options));
    },
  };
}
