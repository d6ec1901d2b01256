/**
 * sigmac's SigmaConditionOptimizer, step for step: strip every subexpression (except below a NOT, which
 * sigmac never descends into), rewrite until nothing changes, then wrap every AND/OR in a subexpression
 * again. Each rule returns early after one rewrite and children are visited only on fallthrough; output
 * bytes depend on that order (e.g. whether an OR gets flattened), so it is kept exactly.
 * Mutates the tree it is given (see legacy-tree.ts for why).
 */
import { pyEq, sub, type LNode } from './legacy-tree';

type Result = [LNode | null, boolean];
type Slot = LNode | null;

export function optimizeTree(tree: LNode): LNode | null {
  let t: Slot = strip(tree);
  let changes = true;
  while (changes) {
    [t, changes] = optimizeNode(t, false);
  }
  return t === null ? null : unstrip(t);
}

function strip(node: LNode): LNode {
  if (node.kind === 'sub') return strip(node.inner);
  if (node.kind === 'and' || node.kind === 'or') node.items = node.items.map(strip);
  return node;
}

function unstrip(node: LNode): LNode {
  if (node.kind === 'and' || node.kind === 'or') {
    const wrapped = sub(node);
    node.items = node.items.map(unstrip);
    return wrapped;
  }
  return node;
}

/** Python's `_ordered_uniq`: first occurrence wins, equality as Python `==`. */
function orderedUniq(items: readonly LNode[]): LNode[] {
  const out: LNode[] = [];
  for (const x of items) if (!out.some((y) => pyEq(x, y))) out.push(x);
  return out;
}

// Items of an AND/OR may temporarily hold Python `None` (an emptied child) between passes.
function optimizeNode(node: Slot, changes: boolean): Result {
  if (node === null) return [null, changes];
  if (node.kind === 'and' || node.kind === 'or') {
    const items = node.items as Slot[];
    if (items.length === 0) return [null, true];
    if (items.includes(null)) {
      node.items = items.filter((i): i is LNode => i !== null);
      return optimizeNode(node, true);
    }
    if (node.items.length === 1) return optimizeNode(node.items[0]!, true);

    const uniq = orderedUniq(node.items);
    if (uniq.length < node.items.length) {
      node.items = uniq;
      return optimizeNode(node, true);
    }

    // OR(X, OR(Y)) => OR(X, Y), only when every child is of the same class or a tuple
    if (node.items.some((c) => c.kind === node.kind) && node.items.every((c) => c.kind === node.kind || c.kind === 'map')) {
      const flat: LNode[] = [];
      for (const c of node.items) {
        if (c.kind === 'and' || c.kind === 'or') flat.push(...c.items);
        else flat.push(c);
      }
      node.items = flat;
      return optimizeNode(node, true);
    }
  } else if (node.kind === 'not') {
    const inner = node.items[0];
    if (inner && inner.kind === 'not') return optimizeNode(inner.items[0] ?? null, true);
    if (inner && inner.kind === 'null') return optimizeNode({ kind: 'notnull', field: inner.field }, true);
    if (inner && inner.kind === 'notnull') return optimizeNode({ kind: 'null', field: inner.field }, true);
  } else {
    return [node, changes];
  }

  const results = node.items.map((item) => optimizeNode(item, changes));
  node.items = results.map((r) => r[0]) as LNode[];
  return [node, changes || results.some((r) => r[1])];
}
