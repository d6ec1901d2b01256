/** Small rules → IR → grep one-liner, and real GNU `grep -P` over hand-written lines. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecutionContext } from 'ava';
import { loadRuleText } from '../../../src/rule/load-rules';
import { compileRule } from '../../../src/ir/compile-rule';
import { compileGrep, type GrepFields, type GrepResult } from '../../../src/backends/grep';
import { LineIndex } from '../../../src/util/diagnostics';
import type { IrNode } from '../../../src/ir/types';
import { grepLineNumbers, runGrepCommand } from '../../support/grep';

export const HEAD = 'title: T\nlogsource: {product: windows}\ndetection:\n';

/** The IR of a rule whose detection section is `detection` (indented by four spaces). */
export function irOf(detection: string): IrNode {
  const text = HEAD + detection;
  const doc = loadRuleText('r.yml', text).documents[0];
  if (!doc || doc.kind !== 'rule') throw new Error('rule did not load');
  const r = compileRule(doc, new LineIndex('r.yml', text));
  if (!r.ir) throw new Error(`rule did not compile: ${r.diagnostics.map((d) => d.code).join(', ')}`);
  return r.ir;
}

export function oneLiner(detection: string, fields: GrepFields, format: 'command' | 'regex' = 'regex'): GrepResult {
  return compileGrep(irOf(detection), { fields, format });
}

export function patternOf(detection: string, fields: GrepFields): string {
  const r = oneLiner(detection, fields);
  if (!r.ok) throw new Error(`not convertible: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.pattern;
}

/**
 * Runs `grep -P -i` with the rule's pattern over `match` and `noMatch` lines and asserts exactly the `match`
 * lines are selected (and grep reported no error).
 */
export function expectLines(t: ExecutionContext, detection: string, fields: GrepFields, match: readonly string[], noMatch: readonly string[]): void {
  const pattern = patternOf(detection, fields);
  const lines = [...match, ...noMatch];
  const run = grepLineNumbers(pattern, `${lines.join('\n')}\n`);
  t.is(run.stderr, '', `grep stderr for ${pattern}`);
  t.not(run.status, 2, `grep error for ${pattern}`);
  const selected = new Set(run.lines);
  match.forEach((l, i) => t.true(selected.has(i + 1), `${fields}: should match ${JSON.stringify(l)}\n  pattern ${pattern}`));
  noMatch.forEach((l, i) => t.false(selected.has(match.length + i + 1), `${fields}: should not match ${JSON.stringify(l)}\n  pattern ${pattern}`));
}

/** Runs the printed command through `sh -c` over the lines; returns the 1-based matching line numbers. */
export function runCommand(command: string, lines: readonly string[]): { lines: number[]; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigrep-grep-'));
  const file = path.join(dir, 'lines.txt');
  try {
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return runGrepCommand(command, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
