/**
 * Finding and reading rule files: paths may be files or directories (searched recursively for .yml/.yaml,
 * in a stable order). Reading problems become diagnostics; the other files still load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { error, type Diagnostic } from '../util/diagnostics';

export interface RuleFileText {
  readonly file: string;
  readonly text: string;
}

const RULE_EXTENSIONS = new Set(['.yml', '.yaml']);

export function readRuleFiles(paths: readonly string[]): { files: RuleFileText[]; diagnostics: Diagnostic[] } {
  const files: RuleFileText[] = [];
  const diagnostics: Diagnostic[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      diagnostics.push(error('IO_ERROR', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: p, offset: 0, line: 1, column: 1 }));
      return;
    }
    if (stat.isDirectory()) {
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        diagnostics.push(error('IO_ERROR', `cannot list ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: p, offset: 0, line: 1, column: 1 }));
        return;
      }
      for (const name of entries) visit(path.join(p, name), false);
      return;
    }
    if (!explicit && !RULE_EXTENSIONS.has(path.extname(p).toLowerCase())) return;
    try {
      files.push({ file: p, text: fs.readFileSync(p, 'utf8') });
    } catch (e) {
      diagnostics.push(error('IO_ERROR', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: p, offset: 0, line: 1, column: 1 }));
    }
  };
  for (const p of paths) visit(p, true);
  return { files, diagnostics };
}

/** A placeholder file: YAML or JSON map of name → value or list of values. Parsed by the caller. */
export function readTextFile(p: string): { text?: string; diagnostic?: Diagnostic } {
  try {
    return { text: fs.readFileSync(p, 'utf8') };
  } catch (e) {
    return { diagnostic: error('IO_ERROR', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: p, offset: 0, line: 1, column: 1 }) };
  }
}
