/**
 * The shape of sigrep's correct one-liners: every boolean node is a zero-width assertion evaluated at the
 * start of the line, so `and`/`or`/`not` mean exactly what they say (sigmac's nested `.*` wrappers let a
 * `not` float to the end of the line and never exclude anything). Each leaf is one `(?=.*X)`: no `.*`
 * is ever nested inside another, so matching stays linear per leaf.
 */
import { assertNever, type IrNode, type TestNode } from '../../ir/types';

/** A leaf as a regex searched from the line start; undefined from a builder when it cannot be expressed. */
export interface LeafPiece {
  readonly source: string;
  /** True when `source` already scans from the line start (keywords in JSON mode), so no `.*` is added. */
  readonly fromLineStart: boolean;
  /** True when the leaf holds where `source` does NOT match (a null test: no non-null value). */
  readonly negative?: boolean;
}

export type LeafBuilder = (leaf: TestNode) => LeafPiece | undefined;

export function assertionRegex(node: IrNode, leaf: LeafBuilder): string | undefined {
  switch (node.kind) {
    case 'const':
      return node.value ? '' : '(?!)';
    case 'test': {
      const piece = leaf(node);
      return piece === undefined ? undefined : lookahead(piece, false);
    }
    case 'not': {
      if (node.arg.kind === 'test') {
        const piece = leaf(node.arg);
        return piece === undefined ? undefined : lookahead(piece, true);
      }
      const merged = node.arg.kind === 'or' ? mergedAlternatives(node.arg.args, leaf) : undefined;
      if (merged !== undefined) return `(?!${merged})`;
      const inner = assertionRegex(node.arg, leaf);
      return inner === undefined ? undefined : `(?!${inner})`;
    }
    case 'and': {
      const parts = node.args.map((a) => assertionRegex(a, leaf));
      return parts.every((p): p is string => p !== undefined) ? parts.join('') : undefined;
    }
    case 'or': {
      const merged = mergedAlternatives(node.args, leaf);
      if (merged !== undefined) return `(?=${merged})`;
      const parts = node.args.map((a) => assertionRegex(a, leaf));
      return parts.every((p): p is string => p !== undefined) ? `(?:${parts.join('|')})` : undefined;
    }
    default:
      return assertNever(node);
  }
}

/**
 * An OR of plain positive leaves as one scan with an alternation, `.*(?:A|B)`, instead of one lookahead per
 * leaf: shorter, and PCRE walks the line once. Undefined when some leaf needs its own assertion.
 */
function mergedAlternatives(args: readonly IrNode[], leaf: LeafBuilder): string | undefined {
  const sources: string[] = [];
  for (const a of args) {
    if (a.kind !== 'test') return undefined;
    const piece = leaf(a);
    if (piece === undefined || piece.fromLineStart || piece.negative) return undefined;
    sources.push(piece.source);
  }
  return `.*(?:${sources.join('|')})`;
}

function lookahead(piece: LeafPiece, negated: boolean): string {
  const scan = piece.fromLineStart ? piece.source : `.*${piece.source}`;
  return negated !== (piece.negative ?? false) ? `(?!${scan})` : `(?=${scan})`;
}
