/** Boolean simplification: constant folding, double negation, flattening, dedupe keeping order — and never a change of meaning. */
import test from 'ava';
import { seeded } from '../support/random';
import { countTests, nodeKey, simplify } from '../../src/ir/simplify';
import { evaluate } from '../../src/reference/evaluate';
import type { IrNode } from '../../src/ir/types';

const leaf = (field: string, offset = 0): IrNode => ({ kind: 'test', field, test: { kind: 'string', pattern: ['x'], cased: false }, offset });
const A = leaf('a');
const B = leaf('b');
const C = leaf('c');
const T: IrNode = { kind: 'const', value: true };
const F: IrNode = { kind: 'const', value: false };
// Raw constructors: no flattening, so simplify has work to do.
const and = (...args: IrNode[]): IrNode => ({ kind: 'and', args });
const or = (...args: IrNode[]): IrNode => ({ kind: 'or', args });
const not = (arg: IrNode): IrNode => ({ kind: 'not', arg });

test('constants fold: true absorbs OR, false absorbs AND, identities drop out', (t) => {
  t.deepEqual(simplify(and(A, T, B)), and(A, B));
  t.deepEqual(simplify(and(A, F, B)), F);
  t.deepEqual(simplify(or(A, T, B)), T);
  t.deepEqual(simplify(or(A, F, B)), or(A, B));
  t.deepEqual(simplify(and(T, A)), A);
  t.deepEqual(simplify(or(F, F)), F);
  t.deepEqual(simplify(and(T, T)), T);
  t.deepEqual(simplify(not(T)), F);
  t.deepEqual(simplify(not(F)), T);
  t.deepEqual(simplify(and()), T);
  t.deepEqual(simplify(or()), F);
});

test('constants fold through nesting', (t) => {
  t.deepEqual(simplify(or(A, not(and(F, B)))), T);
  t.deepEqual(simplify(and(A, not(or(T, B)))), F);
});

test('double negation disappears; triple negation leaves one', (t) => {
  t.deepEqual(simplify(not(not(A))), A);
  t.deepEqual(simplify(not(not(not(A)))), not(A));
  t.deepEqual(simplify(not(not(and(A, B)))), and(A, B));
});

test('same-kind chains are flattened, mixed kinds are not', (t) => {
  t.deepEqual(simplify(and(and(A, B), C)), and(A, B, C));
  t.deepEqual(simplify(or(A, or(B, or(C)))), or(A, B, C));
  t.deepEqual(simplify(and(or(A, B), C)), and(or(A, B), C));
  // After folding, an OR left with one child inside an AND is spliced.
  t.deepEqual(simplify(and(or(F, A), B)), and(A, B));
});

test('duplicate children are removed, keeping the first occurrence and the order', (t) => {
  t.deepEqual(simplify(or(B, A, B, C, A)), or(B, A, C));
  t.deepEqual(simplify(and(A, A)), A);
  // Equal tests from two places in the file (different offsets) are the same test.
  t.deepEqual(simplify(or(leaf('a', 5), leaf('a', 9))), leaf('a', 5));
  // Duplicates found after flattening.
  t.deepEqual(simplify(and(A, and(B, A))), and(A, B));
  t.deepEqual(simplify(or(not(A), not(A))), not(A));
});

test('tests differing only in cased are not duplicates', (t) => {
  const cased: IrNode = { kind: 'test', field: 'a', test: { kind: 'string', pattern: ['x'], cased: true }, offset: 0 };
  t.deepEqual(simplify(or(A, cased)), or(A, cased));
  t.not(nodeKey(A), nodeKey(cased));
});

test('nodeKey ignores offsets and tells structures apart', (t) => {
  t.is(nodeKey(leaf('a', 1)), nodeKey(leaf('a', 2)));
  t.not(nodeKey(and(A, B)), nodeKey(or(A, B)));
  t.not(nodeKey(and(A, B)), nodeKey(and(B, A)));
  t.not(nodeKey(not(A)), nodeKey(A));
  t.not(nodeKey(leaf('a')), nodeKey({ kind: 'test', field: null, test: { kind: 'string', pattern: ['x'], cased: false }, offset: 0 }));
});

test('countTests counts leaves, not constants', (t) => {
  t.is(countTests(and(A, or(B, not(C)), T)), 3);
  t.is(countTests(F), 0);
});

/** Random trees over four leaves and both constants, checked against the reference evaluator on all 16 events. */
test('simplify never changes meaning (random trees, every assignment of the leaves)', (t) => {
  const rand = seeded(12345);
  const rnd = (n: number) => Math.floor(rand() * n);
  const leaves = ['a', 'b', 'c', 'd'].map((f) => leaf(f));
  const gen = (depth: number): IrNode => {
    const r = rnd(depth > 3 ? 3 : 7);
    if (r === 0) return leaves[rnd(4)]!;
    if (r === 1) return rnd(2) ? T : F;
    if (r === 2) return leaves[rnd(4)]!;
    if (r === 3) return not(gen(depth + 1));
    const args = Array.from({ length: rnd(4) }, () => gen(depth + 1));
    return r % 2 ? and(...args) : or(...args);
  };
  for (let i = 0; i < 400; i++) {
    const tree = gen(0);
    const simple = simplify(tree);
    for (let mask = 0; mask < 16; mask++) {
      const event: Record<string, string> = {};
      ['a', 'b', 'c', 'd'].forEach((f, k) => {
        event[f] = mask & (1 << k) ? 'x' : 'y';
      });
      const input = { kind: 'json', event } as const;
      if (evaluate(tree, input) !== evaluate(simple, input)) {
        t.fail(`${JSON.stringify(tree)} → ${JSON.stringify(simple)} differs on ${JSON.stringify(event)}`);
        return;
      }
    }
    t.deepEqual(simplify(simple), simple, 'simplify is idempotent');
  }
});
