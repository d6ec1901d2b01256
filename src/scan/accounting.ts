/**
 * Tallies of a scan, per file and in total, and the summary built from them. Every input line lands in
 * exactly one of evaluated / empty / unparsed / too long; `lineCountsBalance` checks that invariant.
 */
import type { RuleInfo } from '../engine/chunk-contract';
// The codes only: the decoder itself is loaded when an EVTX input is met.
import { EvtxProblemCode, type EvtxProblem } from '../evtx/types';
import { MAX_SUMMARY_ISSUES, MAX_UNPARSED_SAMPLES } from './limits';
import type {
  EvtxCounts,
  FileReport,
  FileStatus,
  InputFormat,
  LineCounts,
  ScanIssue,
  ScanSummary,
  SkippedFile,
  UnparsedLine,
} from './types';

/** Damage counters of one EVTX input, fed with the decoder's problems in file order. */
export class EvtxTally {
  chunks = 0;
  chunksDamaged = 0;
  recordsSkipped = 0;
  recordsUnverified = 0;
  private readonly damaged = new Set<number>();

  addProblem(p: EvtxProblem): void {
    switch (p.code) {
      case EvtxProblemCode.BadRecord:
      case EvtxProblemCode.BinXml:
        this.recordsSkipped++;
        break;
      case EvtxProblemCode.BadSignature:
      case EvtxProblemCode.ChunkHeaderChecksum:
      case EvtxProblemCode.BadChunkHeader:
      case EvtxProblemCode.Truncated:
        break;
      case EvtxProblemCode.ChunkDataChecksum:
      case EvtxProblemCode.FileHeaderChecksum:
        return; // warnings: nothing lost
      default:
        assertNever(p.code);
    }
    if (p.chunk !== undefined && !this.damaged.has(p.chunk)) {
      this.damaged.add(p.chunk);
      this.chunksDamaged++;
    }
  }

  counts(): EvtxCounts {
    return { chunks: this.chunks, chunksDamaged: this.chunksDamaged, recordsSkipped: this.recordsSkipped, recordsUnverified: this.recordsUnverified };
  }
}

/** Mutable counters of one input while it is read (reading side) and emitted (emitting side). */
export class FileTally {
  format: InputFormat | undefined;
  bytesRead = 0;
  bytesDecompressed = 0;
  lines = 0;
  evaluated = 0;
  emptyLines = 0;
  unparsed = 0;
  tooLong = 0;
  detections = 0;
  contractBroken = false;
  /** Set when the input turns out to be EVTX. */
  evtx: EvtxTally | undefined;

  constructor(
    readonly file: string,
    /** Position among the inputs, so reports keep input order. */
    readonly index: number,
  ) {}
}

export function lineCountsBalance(c: LineCounts): boolean {
  return c.lines === c.evaluated + c.emptyLines + c.unparsed + c.tooLong;
}

export class Accounting {
  readonly perRule: number[];
  private readonly reports = new Map<number, FileReport>();
  private readonly issues: ScanIssue[] = [];
  private readonly unparsedSamples: UnparsedLine[] = [];
  private errorCount = 0;
  private warningCount = 0;

  constructor(readonly rules: readonly RuleInfo[]) {
    this.perRule = rules.map(() => 0);
  }

  addIssue(issue: ScanIssue): void {
    if (issue.severity === 'error') this.errorCount++;
    else this.warningCount++;
    if (this.issues.length < MAX_SUMMARY_ISSUES) this.issues.push(issue);
  }

  addUnparsedSample(u: UnparsedLine): void {
    if (this.unparsedSamples.length < MAX_UNPARSED_SAMPLES) this.unparsedSamples.push(u);
  }

  finishFile(t: FileTally, status: FileStatus, reason?: string): FileReport {
    const report: FileReport = {
      file: t.file,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(t.format !== undefined ? { format: t.format } : {}),
      lines: t.lines,
      evaluated: t.evaluated,
      emptyLines: t.emptyLines,
      unparsed: t.unparsed,
      tooLong: t.tooLong,
      detections: t.detections,
      bytesRead: t.bytesRead,
      bytesDecompressed: t.bytesDecompressed,
      ...(t.evtx ? { evtx: t.evtx.counts() } : {}),
    };
    this.reports.set(t.index, report);
    return report;
  }

  hasReport(index: number): boolean {
    return this.reports.has(index);
  }

  summary(elapsedMs: number): ScanSummary {
    const fileReports = [...this.reports.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const sum = (key: keyof LineCounts | 'bytesRead' | 'bytesDecompressed' | 'detections'): number =>
      fileReports.reduce((n, r) => n + r[key], 0);
    const skipped: SkippedFile[] = fileReports
      .filter((r) => r.status === 'skipped')
      .map((r) => ({ file: r.file, reason: r.reason ?? 'skipped' }));
    return {
      ok: this.errorCount === 0,
      rules: this.rules,
      files: {
        scanned: fileReports.filter((r) => r.status === 'scanned').length,
        partial: fileReports.filter((r) => r.status === 'partial').length,
        skipped,
      },
      fileReports,
      lines: {
        lines: sum('lines'),
        evaluated: sum('evaluated'),
        emptyLines: sum('emptyLines'),
        unparsed: sum('unparsed'),
        tooLong: sum('tooLong'),
      },
      unparsedSamples: this.unparsedSamples,
      bytes: { read: sum('bytesRead'), decompressed: sum('bytesDecompressed') },
      detections: sum('detections'),
      ...evtxTotals(fileReports),
      detectionsPerRule: this.rules.map((rule, i) => ({ rule, count: this.perRule[i] ?? 0 })),
      issues: this.issues,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      elapsedMs,
    };
  }
}

function evtxTotals(reports: readonly FileReport[]): { evtx?: EvtxCounts & { files: number } } {
  const evtx = reports.flatMap((r) => (r.evtx ? [r.evtx] : []));
  if (evtx.length === 0) return {};
  const sum = (k: keyof EvtxCounts): number => evtx.reduce((n, c) => n + c[k], 0);
  return {
    evtx: {
      files: evtx.length,
      chunks: sum('chunks'),
      chunksDamaged: sum('chunksDamaged'),
      recordsSkipped: sum('recordsSkipped'),
      recordsUnverified: sum('recordsUnverified'),
    },
  };
}

function assertNever(x: never): never {
  throw new Error(`unexpected EVTX problem code ${String(x)}`);
}
