/**
 * A line's gate codes as one number, and the arguments of the prefilter calls that name literals and tuples
 * (setTriggers, setDeadPairs). The tuple key is shared by both engines and by the engine's GateFilter, so the
 * dead pairs the matcher learns mean the same lines in the prefilter.
 */
import { GATE_OTHER, type GateField } from './types';

/** Each gate's digit count: its dictionary's values, then OTHER, ABSENT and UNKNOWN. */
export function gateRadixes(gates: readonly GateField[]): number[] {
  return gates.map((g) => g.values.length + 3);
}

/** The codes at `codes[at..]` in mixed radix: dictionary ids as themselves, OTHER, ABSENT, UNKNOWN as the last three digits. */
export function gateTupleKey(codes: Uint16Array, at: number, radixes: readonly number[]): number {
  let key = 0;
  for (let g = 0; g < radixes.length; g++) {
    const size = radixes[g]!;
    const c = codes[at + g]!;
    key = key * size + (c >= GATE_OTHER ? size - 3 + (c - GATE_OTHER) : c);
  }
  return key;
}

/** Throws RangeError unless every id names one of `literalCount` literals. */
export function checkTriggers(ids: readonly number[], literalCount: number): void {
  for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= literalCount) throw new RangeError(`trigger ${id} is not a literal id`);
}

/** Throws RangeError unless the pairs are well formed: as many keys as literals, exact keys, literal ids. */
export function checkDeadPairs(tupleKeys: readonly number[], literals: readonly number[], literalCount: number): void {
  if (tupleKeys.length !== literals.length) throw new RangeError('dead pairs need as many keys as literals');
  tupleKeys.forEach((key, i) => {
    const lit = literals[i]!;
    if (!Number.isSafeInteger(key) || key < 0 || !Number.isInteger(lit) || lit < 0 || lit >= literalCount) throw new RangeError('a dead pair names no literal or no tuple');
  });
}
