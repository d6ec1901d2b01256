/**
 * Diagnostics: every problem the compiler or scanner reports, with a stable code and a source position.
 * The core never throws for bad input; it returns diagnostics next to its result and the CLI renders them.
 */

export type Severity = 'error' | 'warning';

/** A place in a source file. `offset` is a 0-based UTF-16 index into the text; line and column start at 1. */
export interface SourcePosition {
  readonly file: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where the problem is; absent only for problems that have no source (a missing file). */
  readonly position?: SourcePosition;
  /** Title of the rule concerned, when known, so a reader of a long report can find it. */
  readonly rule?: string;
}

/** Maps offsets to line/column for one text. Built once per file; lookups are a binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly file: string, readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.starts[lo] ?? 0;
    return { file: this.file, offset: clamped, line: lo + 1, column: clamped - lineStart + 1 };
  }

  lineText(line: number): string {
    const start = this.starts[line - 1] ?? 0;
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

export function error(code: string, message: string, position?: SourcePosition, rule?: string): Diagnostic {
  return withOptional({ code, severity: 'error', message }, position, rule);
}

export function warning(code: string, message: string, position?: SourcePosition, rule?: string): Diagnostic {
  return withOptional({ code, severity: 'warning', message }, position, rule);
}

function withOptional(d: Diagnostic, position?: SourcePosition, rule?: string): Diagnostic {
  return { ...d, ...(position ? { position } : {}), ...(rule !== undefined ? { rule } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Renders `file:line:col: error[CODE]: message` and, when the source text is known, the line and a caret.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: (file: string) => string | undefined): string {
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.column}: ` : '';
  const rule = d.rule !== undefined ? ` (rule "${d.rule}")` : '';
  let out = `${where}${d.severity}[${d.code}]: ${d.message}${rule}`;
  const text = d.position && sourceText ? sourceText(d.position.file) : undefined;
  if (d.position && text !== undefined) {
    const index = new LineIndex(d.position.file, text);
    const lineText = index.lineText(d.position.line);
    const gutter = String(d.position.line);
    out += `\n ${gutter} | ${lineText}\n ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.position.column - 1))}^`;
  }
  return out;
}
