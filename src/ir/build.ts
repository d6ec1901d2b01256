/** Node constructors that keep trees flat: one-child and/or collapse, same-kind children are spliced in. */
import type { IrNode } from './types';

export function and(args: readonly IrNode[]): IrNode {
  return nary('and', args);
}

export function or(args: readonly IrNode[]): IrNode {
  return nary('or', args);
}

export function not(arg: IrNode): IrNode {
  return { kind: 'not', arg };
}

function nary(kind: 'and' | 'or', args: readonly IrNode[]): IrNode {
  const flat: IrNode[] = [];
  for (const a of args) {
    if (a.kind === kind) flat.push(...a.args);
    else flat.push(a);
  }
  // An empty AND is true and an empty OR is false, the identities of the operators.
  if (flat.length === 0) return { kind: 'const', value: kind === 'and' };
  if (flat.length === 1) return flat[0]!;
  return { kind, args: flat };
}
