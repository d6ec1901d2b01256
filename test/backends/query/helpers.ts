/** Shared by the query-backend tests: compiling rule text, the Lucene parser, a quote/paren checker. */
import { loadRuleText } from '../../../src/rule/load-rules';
import { compileRule } from '../../../src/ir/compile-rule';
import { LineIndex } from '../../../src/util/diagnostics';
import { convertQuery, type QueryResult, type QueryTarget } from '../../../src/backends/query';
import type { IrNode } from '../../../src/ir/types';

export interface Compiled {
  readonly ir: IrNode;
  readonly text: string;
  readonly title: string;
}

export function compileText(text: string, file = 'test.yml'): Compiled {
  const loaded = loadRuleText(file, text);
  const doc = loaded.documents.find((d) => d.kind === 'rule');
  if (!doc || doc.kind !== 'rule') throw new Error(`no rule in ${file}: ${JSON.stringify(loaded.diagnostics)}`);
  const c = compileRule(doc, new LineIndex(file, text));
  if (!c.ir) throw new Error(`rule does not compile: ${JSON.stringify(c.diagnostics)}`);
  return { ir: c.ir, text, title: doc.title };
}

/** A rule with the given detection body (indented YAML under `detection:`). */
export function ruleText(detection: string): string {
  return `title: Test rule\nlogsource:\n  product: test\ndetection:\n${detection.replace(/^\n/, '')}`;
}

export function convert(detection: string, target: QueryTarget): QueryResult {
  const c = compileText(ruleText(detection));
  return convertQuery(c.ir, target, { rule: { title: c.title } });
}

/** The output of a successful conversion; throws with the problems otherwise. */
export function output(detection: string, target: QueryTarget): string {
  const r = convert(detection, target);
  if (!r.ok) throw new Error(`${target} refused: ${JSON.stringify(r.problems)}`);
  return r.output;
}

export interface LuceneParser {
  parse(query: string): unknown;
}

/** lucene@2.1.1 (a PEG Lucene query-syntax parser), when installed. */
export function luceneParser(): LuceneParser | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('lucene') as LuceneParser;
  } catch {
    return undefined;
  }
}

export const NO_LUCENE = 'lucene@2.1.1 is not installed (add it as a devDependency): Lucene syntax checks skipped';

/** Every term of a parsed Lucene AST, as { field, term, regex, quoted }. */
export function luceneTerms(ast: unknown): { field: string; term: string; regex: boolean; quoted: boolean }[] {
  const out: { field: string; term: string; regex: boolean; quoted: boolean }[] = [];
  const walk = (n: unknown, groupField?: string) => {
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.term === 'string') {
      const field = o.field === '<implicit>' && groupField !== undefined ? groupField : String(o.field);
      out.push({ field, term: o.term, regex: o.regex === true, quoted: o.quoted === true });
      return;
    }
    const f = typeof o.field === 'string' && o.field !== '<implicit>' ? o.field : groupField;
    walk(o.left, f);
    walk(o.right, f);
  };
  walk(ast);
  return out;
}

/**
 * Checks that quotes close and parentheses/brackets balance, reading quoted text as the engine does
 * (`backslashEscapes`: Splunk reads `\"` and `\\` inside double quotes; LogPoint has no escapes).
 * Returns a description of the first defect, or undefined.
 */
export function quotingDefect(query: string, backslashEscapes: boolean): string | undefined {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[' };
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      for (; j < query.length; j++) {
        const d = query[j]!;
        if (backslashEscapes && c === '"' && d === '\\') {
          j++;
          continue;
        }
        if (d === c) break;
      }
      if (j >= query.length) return `unclosed ${c} at ${i}`;
      i = j;
    } else if (c === '(' || c === '[') stack.push(c);
    else if (c === ')' || c === ']') {
      if (stack.pop() !== pairs[c]) return `unbalanced ${c} at ${i}`;
    }
  }
  return stack.length > 0 ? `${stack.length} unclosed ${stack.join('')}` : undefined;
}
