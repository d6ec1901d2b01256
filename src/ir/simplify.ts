/**
 * Boolean simplification shared by all backends: flatten same-kind chains, fold constants, remove
 * double negation and duplicate children. Never changes meaning; keeps the order of children so output
 * follows the rule's YAML order.
 */
import { and, not, or } from './build';
import { assertNever, type IrNode } from './types';

export function simplify(node: IrNode): IrNode {
  switch (node.kind) {
    case 'test':
    case 'const':
      return node;
    case 'not': {
      const arg = simplify(node.arg);
      if (arg.kind === 'const') return { kind: 'const', value: !arg.value };
      if (arg.kind === 'not') return arg.arg;
      return not(arg);
    }
    case 'and':
    case 'or': {
      const absorbing = node.kind === 'or'; // true absorbs an OR, false absorbs an AND
      const kept: IrNode[] = [];
      const seen = new Set<string>();
      for (const child of node.args.map(simplify)) {
        if (child.kind === 'const') {
          if (child.value === absorbing) return child;
          continue; // the identity element drops out
        }
        for (const c of child.kind === node.kind ? child.args : [child]) {
          const key = nodeKey(c);
          if (seen.has(key)) continue;
          seen.add(key);
          kept.push(c);
        }
      }
      return node.kind === 'and' ? and(kept) : or(kept);
    }
    default:
      return assertNever(node);
  }
}

const keys = new WeakMap<IrNode, string>();

/** A structural key, for de-duplication; offsets are left out so equal tests from two places merge. Memoised: trees are immutable. */
export function nodeKey(node: IrNode): string {
  let key = keys.get(node);
  if (key === undefined) {
    switch (node.kind) {
      case 'test':
        key = `t${JSON.stringify([node.field, node.test])}`;
        break;
      case 'const':
        key = node.value ? 'T' : 'F';
        break;
      case 'not':
        key = `!(${nodeKey(node.arg)})`;
        break;
      default:
        key = `${node.kind}(${node.args.map(nodeKey).join(',')})`;
    }
    keys.set(node, key);
  }
  return key;
}

/** Counts the test leaves of a tree (for limits and explain). */
export function countTests(node: IrNode): number {
  switch (node.kind) {
    case 'test':
      return 1;
    case 'const':
      return 0;
    case 'not':
      return countTests(node.arg);
    case 'and':
    case 'or':
      return node.args.reduce((n, a) => n + countTests(a), 0);
    default:
      return assertNever(node);
  }
}
