/**
 * Builds the Aho–Corasick DFA the JS engine runs: plain typed arrays, no objects per state.
 *
 * Key decisions: bytes are mapped to classes first (upper and lower case letters share a class; every byte
 * that occurs in no literal is class 0), which keeps a full DFA table small (states × classes). State ids
 * are premultiplied by the row stride so a step is one load, `next = transitions[state + classOf[byte]]`,
 * and states that report literals are numbered last so the hot loop tests for a match with one compare.
 * Each row has one extra entry past the classes: for a reporting state, its index into `outputStart`, so
 * reporting needs no division.
 */

import { ASCII_FOLD } from './ascii-fold';

/** A full DFA table larger than this many entries (4 bytes each) is refused rather than allocated. */
export const MAX_TRANSITION_ENTRIES = 1 << 27;

export interface DenseAutomaton {
  /** Byte → class; 0 is the class of bytes that occur in no literal. */
  readonly classOf: Uint8Array;
  readonly classCount: number;
  readonly stateCount: number;
  /** Row length, `classCount + 1`; state ids are premultiplied by it. */
  readonly stride: number;
  /** The state after `state` reads `byte` is `transitions[state + classOf[byte]]`; the root is 0. */
  readonly transitions: Int32Array;
  /** Premultiplied id of the first reporting state; every state `>= matchFrom` reports. */
  readonly matchFrom: number;
  /** Reporting state `s` has `k = transitions[s + classCount]` and reports `outputLiterals[outputStart[k] .. outputStart[k + 1])`. */
  readonly outputStart: Uint32Array;
  readonly outputLiterals: Uint32Array;
}

/** Throws RangeError on an empty literal (it would make every line a candidate) or a table over the limit. */
export function buildDenseAutomaton(literals: readonly Uint8Array[]): DenseAutomaton {
  // Byte classes over folded bytes.
  const classOfFolded = new Int32Array(256);
  for (let id = 0; id < literals.length; id++) {
    const lit = literals[id]!;
    if (lit.length === 0) throw new RangeError(`prefilter literal ${id} is empty`);
    for (let i = 0; i < lit.length; i++) classOfFolded[ASCII_FOLD[lit[i]!]!] = 1;
  }
  let classCount = 1;
  for (let b = 0; b < 256; b++) if (classOfFolded[b] !== 0) classOfFolded[b] = classCount++;
  const classOf = new Uint8Array(256);
  for (let b = 0; b < 256; b++) classOf[b] = classOfFolded[ASCII_FOLD[b]!]!;

  // Trie; edges in a map until the node count is known.
  const edges = new Map<number, number>();
  let nodeCount = 1;
  const literalNode = new Int32Array(literals.length);
  for (let id = 0; id < literals.length; id++) {
    const lit = literals[id]!;
    let node = 0;
    for (let i = 0; i < lit.length; i++) {
      const key = node * classCount + classOf[lit[i]!]!;
      let child = edges.get(key);
      if (child === undefined) {
        child = nodeCount++;
        edges.set(key, child);
      }
      node = child;
    }
    literalNode[id] = node;
  }
  if (nodeCount * (classCount + 1) > MAX_TRANSITION_ENTRIES) {
    throw new RangeError(
      `prefilter automaton too large: ${nodeCount} states × ${classCount} byte classes exceeds ${MAX_TRANSITION_ENTRIES} entries`,
    );
  }
  const table = new Int32Array(nodeCount * classCount).fill(-1);
  for (const [key, child] of edges) table[key] = child;
  edges.clear();

  // Own outputs per node, as linked lists threaded through literal ids (ascending by construction order).
  const ownHead = new Int32Array(nodeCount).fill(-1);
  const ownNext = new Int32Array(literals.length);
  const ownCount = new Int32Array(nodeCount);
  for (let id = literals.length - 1; id >= 0; id--) {
    const node = literalNode[id]!;
    ownNext[id] = ownHead[node]!;
    ownHead[node] = id;
    ownCount[node]!++;
  }

  // BFS: failure links, completed transitions, output counts (own + failure's, disjoint by construction).
  const order = new Int32Array(nodeCount);
  const fail = new Int32Array(nodeCount);
  const outCount = new Int32Array(nodeCount);
  let head = 0;
  let tail = 0;
  for (let c = 0; c < classCount; c++) {
    const v = table[c]!;
    if (v < 0) table[c] = 0;
    else {
      fail[v] = 0;
      order[tail++] = v;
    }
  }
  while (head < tail) {
    const u = order[head++]!;
    outCount[u] = ownCount[u]! + outCount[fail[u]!]!;
    const row = u * classCount;
    const failRow = fail[u]! * classCount;
    for (let c = 0; c < classCount; c++) {
      const v = table[row + c]!;
      if (v < 0) table[row + c] = table[failRow + c]!;
      else {
        fail[v] = table[failRow + c]!;
        order[tail++] = v;
      }
    }
  }

  // Renumber: root, then silent states, then reporting states (both in BFS order).
  const newId = new Int32Array(nodeCount);
  let next = 1;
  for (let k = 0; k < tail; k++) if (outCount[order[k]!] === 0) newId[order[k]!] = next++;
  const firstMatch = next;
  let totalOutputs = 0;
  for (let k = 0; k < tail; k++) {
    const u = order[k]!;
    if (outCount[u] !== 0) {
      newId[u] = next++;
      totalOutputs += outCount[u]!;
    }
  }
  const stride = classCount + 1;
  const transitions = new Int32Array(nodeCount * stride);
  for (let u = 0; u < nodeCount; u++) {
    const from = u * classCount;
    const to = newId[u]! * stride;
    for (let c = 0; c < classCount; c++) transitions[to + c] = newId[table[from + c]!]! * stride;
    if (newId[u]! >= firstMatch) transitions[to + classCount] = newId[u]! - firstMatch;
  }

  // Outputs of reporting states in their new order: own literals, then along the failure chain.
  const outputStart = new Uint32Array(nodeCount - firstMatch + 1);
  const outputLiterals = new Uint32Array(totalOutputs);
  let written = 0;
  let k = 0;
  for (let j = 0; j < tail; j++) {
    const u = order[j]!;
    if (outCount[u] === 0) continue;
    outputStart[k++] = written;
    for (let v = u; v !== 0; v = fail[v]!) {
      for (let id = ownHead[v]!; id >= 0; id = ownNext[id]!) outputLiterals[written++] = id;
    }
  }
  outputStart[k] = written;

  return {
    classOf,
    classCount,
    stateCount: nodeCount,
    stride,
    transitions,
    matchFrom: firstMatch * stride,
    outputStart,
    outputLiterals,
  };
}
