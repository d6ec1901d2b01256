/** Shared helpers of the scan tests: temporary trees, the fixture matcher, a sink that records everything. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { scan } from '../../src/scan/scan';
import type { Detection, FileReport, ScanIssue, ScanOptions, ScanSink, ScanSummary, UnparsedLine } from '../../src/scan/types';
import type { LiteralPlan, LiteralRule } from './fixtures/literal-matcher';

export const MATCHER = path.join(__dirname, 'fixtures', 'literal-matcher.js');

export function rule(literal: string, level = 'high', id = `rule-${literal}`): LiteralRule {
  return { id, title: `contains ${literal}`, level, tags: ['attack.t1000'], literal };
}

export const PLAN: LiteralPlan = { rules: [rule('alpha', 'high'), rule('beta', 'low'), rule('gamma', 'critical')] };

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates a temporary directory with `files` (path → content), removed when the process exits. */
export function tempTree(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-scan-'));
  created.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export interface Recorded {
  readonly summary: ScanSummary;
  readonly detections: Detection[];
  readonly issues: ScanIssue[];
  readonly unparsed: UnparsedLine[];
  readonly files: FileReport[];
  readonly order: string[];
}

export function recorder(): { sink: ScanSink; detections: Detection[]; issues: ScanIssue[]; unparsed: UnparsedLine[]; files: FileReport[]; order: string[] } {
  const detections: Detection[] = [];
  const issues: ScanIssue[] = [];
  const unparsed: UnparsedLine[] = [];
  const files: FileReport[] = [];
  const order: string[] = [];
  const sink: ScanSink = {
    detections: (b) => {
      detections.push(...b);
      for (const d of b) order.push(`detection ${d.file}:${d.line}`);
    },
    issue: (i) => {
      issues.push(i);
      order.push(`issue ${i.code} ${i.file ?? ''}`);
    },
    unparsed: (b) => void unparsed.push(...b),
    fileEnd: (r) => {
      files.push(r);
      order.push(`file ${r.file}`);
    },
  };
  return { sink, detections, issues, unparsed, files, order };
}

export async function run(options: Partial<ScanOptions> & { inputs: readonly string[] }): Promise<Recorded> {
  const rec = recorder();
  const summary = await scan({
    matcherModule: MATCHER,
    plan: PLAN,
    threads: 2,
    chunkBytes: 64,
    ...options,
    sinks: [rec.sink, ...(options.sinks ?? [])],
  });
  return { summary, ...rec };
}

/** A memory stream that `jsonlSink` and friends can write to. */
export function memoryOut(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
