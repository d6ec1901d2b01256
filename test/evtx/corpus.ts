/** Access to the shared sigma-regression corpus (.evtx files and their expected evtx_dump events). */
import * as fs from 'fs';
import * as path from 'path';

// dist/test/evtx/ → project root is three levels up; shared material sits next to the project.
export const CORPUS_DIR = path.resolve(__dirname, '../../..', '../shared/corpora/sigma-regression');

export interface CorpusCase {
  readonly ruleId: string;
  readonly evtxPath: string;
  readonly expected: readonly Record<string, unknown>[];
}

export function corpusAvailable(): boolean {
  return fs.existsSync(path.join(CORPUS_DIR, 'cases.jsonl')) && fs.existsSync(path.join(CORPUS_DIR, 'events.jsonl'));
}

export function loadCases(): CorpusCase[] {
  const events = fs
    .readFileSync(path.join(CORPUS_DIR, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return fs
    .readFileSync(path.join(CORPUS_DIR, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { rule_id: string; evtx: string; events: number[] })
    .map((c) => ({
      ruleId: c.rule_id,
      evtxPath: path.join(CORPUS_DIR, c.evtx),
      expected: c.events.map((n) => {
        const e = events[n - 1];
        if (!e) throw new Error(`events.jsonl has no line ${n}`);
        return e;
      }),
    }));
}

export function readBytes(file: string): Uint8Array {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
