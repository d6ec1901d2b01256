/**
 * The generic part of every text-query backend: IR tree → query text through an engine table. It
 * parenthesizes every nested AND/OR (Splunk and LogPoint bind OR tighter than AND, so relying on
 * precedence is never safe), groups adjacent values of one field, and moves top-level conjuncts the
 * search language cannot hold into the engine's second stage. All problems are collected, not thrown.
 */
import { assertNever, type IrNode } from '../../ir/types';
import { isRefusal, type BooleanSyntax, type EngineTable, type Form, type FormResult, type LeafForms, type QueryProblem } from './types';

type Rendered =
  | { readonly ok: true; readonly text: string; readonly shape: 'atom' | 'not' | 'compound'; readonly warnings: readonly QueryProblem[] }
  | { readonly ok: false; readonly problems: readonly QueryProblem[] };

type Pick = (forms: LeafForms) => FormResult | undefined;

export type TreeResult =
  | { readonly ok: true; readonly text: string; readonly warnings: readonly QueryProblem[] }
  | { readonly ok: false; readonly problems: readonly QueryProblem[] };

export function convertTree(ir: IrNode, table: EngineTable): TreeResult {
  if (ir.kind === 'const') {
    if (ir.value) return { ok: true, text: table.search.matchAll, warnings: [] };
    return { ok: false, problems: [{ offset: 0, message: 'the rule can never match (its detection simplifies to false)' }] };
  }
  const leafCache = new Map<IrNode, LeafForms>();
  const forms = (n: Extract<IrNode, { kind: 'test' }>): LeafForms => {
    let f = leafCache.get(n);
    if (!f) leafCache.set(n, (f = table.leaf(n)));
    return f;
  };
  const whole = render(ir, table.search, (f) => f.search, forms);
  if (whole.ok) return { ok: true, text: whole.text, warnings: dedupe(whole.warnings) };
  const stage = table.secondStage;
  if (!stage) return { ok: false, problems: whole.problems };

  // Split the top-level AND: what the search holds stays there, the rest goes to the second stage.
  const conjuncts = ir.kind === 'and' ? ir.args : [ir];
  const searchParts: Rendered[] = [];
  const secondParts: string[] = [];
  const warnings: QueryProblem[] = [];
  const problems: QueryProblem[] = [];
  for (const c of conjuncts) {
    const inSearch = render(c, table.search, (f) => f.search, forms);
    if (inSearch.ok) {
      searchParts.push(inSearch);
      continue;
    }
    if (stage.kind === 'boolean') {
      const inSecond = render(c, stage.syntax, (f) => f.second, forms);
      if (inSecond.ok) {
        secondParts.push(ir.kind === 'and' && conjuncts.length > 1 && inSecond.shape === 'compound' ? `(${inSecond.text})` : inSecond.text);
        warnings.push(...inSecond.warnings);
      } else problems.push(...inSecond.problems);
    } else {
      const second = c.kind === 'test' ? forms(c).second : undefined;
      if (c.kind === 'test' && second && !isRefusal(second)) {
        secondParts.push(second.text);
        warnings.push(...leafWarnings(c.offset, second));
      } else problems.push(...inSearch.problems);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const search = searchParts.length === 0 ? undefined : joinParts(searchParts, table.search, 'and');
  for (const p of searchParts) if (p.ok) warnings.push(...p.warnings);
  const text = stage.kind === 'boolean' ? stage.join(search, secondParts.join(stage.syntax.and)) : stage.join(search, secondParts);
  return { ok: true, text, warnings: dedupe(warnings) };
}

function render(node: IrNode, syntax: BooleanSyntax, pick: Pick, forms: (n: Extract<IrNode, { kind: 'test' }>) => LeafForms): Rendered {
  switch (node.kind) {
    case 'const':
      // simplify() leaves constants only at the root, which convertTree handles.
      return node.value ? { ok: true, text: syntax.matchAll, shape: 'atom', warnings: [] } : { ok: false, problems: [{ offset: 0, message: 'a constant false inside the tree' }] };
    case 'test': {
      const form = pick(forms(node));
      if (!form) return { ok: false, problems: [{ offset: node.offset, message: 'no form for this leaf' }] };
      if (isRefusal(form)) return { ok: false, problems: [{ offset: node.offset, message: form.refused }] };
      return { ok: true, text: form.text, shape: form.compound ? 'compound' : form.negated ? 'not' : 'atom', warnings: leafWarnings(node.offset, form) };
    }
    case 'not': {
      const inner = render(node.arg, syntax, pick, forms);
      if (!inner.ok) return inner;
      const text = inner.shape === 'atom' ? inner.text : `(${inner.text})`;
      return { ok: true, text: `${syntax.not}${text}`, shape: 'not', warnings: inner.warnings };
    }
    case 'and':
    case 'or': {
      const parts: Rendered[] = [];
      const problems: QueryProblem[] = [];
      const args = node.args;
      for (let i = 0; i < args.length; i++) {
        // Adjacent leaves of one field under OR become one group, when the language has groups.
        const run = node.kind === 'or' && syntax.fieldGroup ? groupRun(args, i, pick, forms) : undefined;
        if (run && run.forms.length > 1 && syntax.fieldGroup) {
          const field = run.forms[0]!.group!.field;
          parts.push({
            ok: true,
            text: syntax.fieldGroup(field, run.forms.map((f) => f.group!.value)),
            shape: 'atom',
            warnings: run.forms.flatMap((f, k) => leafWarnings(run.offsets[k]!, f)),
          });
          i += run.forms.length - 1;
          continue;
        }
        const r = render(args[i]!, syntax, pick, forms);
        if (r.ok) parts.push(r);
        else problems.push(...r.problems);
      }
      if (problems.length > 0) return { ok: false, problems };
      if (parts.length === 1) return parts[0]!;
      return { ok: true, text: joinParts(parts, syntax, node.kind), shape: 'compound', warnings: parts.flatMap((p) => (p.ok ? p.warnings : [])) };
    }
    default:
      return assertNever(node);
  }
}

function joinParts(parts: readonly Rendered[], syntax: BooleanSyntax, kind: 'and' | 'or'): string {
  if (parts.length === 1 && parts[0]!.ok) return parts[0]!.text;
  return parts
    .map((p) => {
      if (!p.ok) return '';
      const paren = p.shape === 'compound' || (p.shape === 'not' && kind === 'or' && syntax.parenthesizeNotInOr);
      return paren ? `(${p.text})` : p.text;
    })
    .join(kind === 'and' ? syntax.and : syntax.or);
}

/** The run of adjacent groupable leaves on one field starting at `start`. */
function groupRun(
  args: readonly IrNode[],
  start: number,
  pick: Pick,
  forms: (n: Extract<IrNode, { kind: 'test' }>) => LeafForms,
): { forms: Form[]; offsets: number[] } | undefined {
  const out: Form[] = [];
  const offsets: number[] = [];
  for (let i = start; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind !== 'test') break;
    const f = pick(forms(a));
    if (!f || isRefusal(f) || !f.group) break;
    if (out.length > 0 && out[0]!.group!.field !== f.group.field) break;
    out.push(f);
    offsets.push(a.offset);
  }
  return out.length > 0 ? { forms: out, offsets } : undefined;
}

function leafWarnings(offset: number, form: Form): QueryProblem[] {
  return (form.warnings ?? []).map((message) => ({ offset, message }));
}

function dedupe(ws: readonly QueryProblem[]): QueryProblem[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    const k = `${w.offset}\u0000${w.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
