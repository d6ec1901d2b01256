/**
 * The grep backend (default dialect): IR → one `grep -P` command line whose matches are exactly the
 * rule's matches (with `--fields json`, exactly the reference evaluator's). Pure: no process is run here.
 * The sigmac-compatible dialect lives in backends/sigmac.
 */
import type { IrNode, TestNode, ValueTest } from '../../ir/types';
import { shellSingleQuote } from '../../util/shell';
import { assertionRegex } from './assertions';
import { jsonLeaf, type LeafContext, type LeafFailure } from './json-leaf';
import { rawLeaf } from './raw-leaf';
import { regexInJsonValue, regexInLine } from './regex-leaf';

export type GrepFields = 'raw' | 'json';
export type GrepFormat = 'command' | 'regex';

export interface GrepOptions {
  readonly fields: GrepFields;
  readonly format: GrepFormat;
}

export interface GrepProblem {
  /** Offset of the construct in the rule file. */
  readonly offset: number;
  readonly message: string;
}

export type GrepResult = { readonly ok: true; readonly output: string; readonly pattern: string } | { readonly ok: false; readonly problems: readonly GrepProblem[] };

export function compileGrep(ir: IrNode, options: GrepOptions): GrepResult {
  const failures: LeafFailure[] = [];
  let groups = 0;
  const context: LeafContext = { failures, nextGroupName: () => `r${++groups}` };
  const leaf =
    options.fields === 'json'
      ? (l: TestNode) => jsonLeaf(l, context, (lf: TestNode, t: Extract<ValueTest, { kind: 'regex' }>) => regexInJsonValue(lf, t, failures))
      : (l: TestNode) => rawLeaf(l, failures, (lf: TestNode, t: Extract<ValueTest, { kind: 'regex' }>) => regexInLine(lf, t, failures));
  const body = assertionRegex(ir, leaf);
  if (body === undefined || failures.length > 0) {
    return { ok: false, problems: failures.map((f) => ({ offset: f.leaf.offset, message: f.reason })) };
  }
  const pattern = `^${body}`;
  const output = options.format === 'regex' ? pattern : `grep -P -i ${shellSingleQuote(pattern)}`;
  return { ok: true, output, pattern };
}
