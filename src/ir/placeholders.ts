/**
 * Placeholder resolution for `|expand`: `%name%` parts are replaced by each of the user's values for that
 * name (an OR of the variants). An unknown name is an error: the spec forbids guessing.
 */
import { parseSigmaString } from '../rule/sigma-string';
import { and, not, or } from './build';
import { normalizePattern } from './pattern';
import { assertNever, isPlaceholder, type IrNode, type Pattern, type PatternPart } from './types';

export type PlaceholderValues = ReadonlyMap<string, readonly string[]>;

/** Upper bound on variants from one pattern, so a placeholder file cannot blow up a rule. */
export const MAX_PLACEHOLDER_VARIANTS = 4096;

export interface PlaceholderProblem {
  readonly name: string;
  readonly offset: number;
  readonly reason: 'unknown' | 'too-many';
}

export function resolvePlaceholders(node: IrNode, values: PlaceholderValues, problems: PlaceholderProblem[]): IrNode {
  switch (node.kind) {
    case 'const':
      return node;
    case 'not':
      return not(resolvePlaceholders(node.arg, values, problems));
    case 'and':
      return and(node.args.map((a) => resolvePlaceholders(a, values, problems)));
    case 'or':
      return or(node.args.map((a) => resolvePlaceholders(a, values, problems)));
    case 'test': {
      if (node.test.kind !== 'string' || !node.test.pattern.some((p) => typeof p !== 'string' && isPlaceholder(p))) return node;
      let variants: PatternPart[][] = [[]];
      for (const part of node.test.pattern) {
        if (typeof part === 'string' || !isPlaceholder(part)) {
          variants.forEach((v) => v.push(part));
          continue;
        }
        const options = values.get(part.placeholder);
        if (!options || options.length === 0) {
          problems.push({ name: part.placeholder, offset: node.offset, reason: 'unknown' });
          return node;
        }
        const next: PatternPart[][] = [];
        for (const v of variants) for (const o of options) next.push([...v, ...parseSigmaString(o)]);
        if (next.length > MAX_PLACEHOLDER_VARIANTS) {
          problems.push({ name: part.placeholder, offset: node.offset, reason: 'too-many' });
          return node;
        }
        variants = next;
      }
      const test = node.test;
      return or(variants.map((v): IrNode => ({ ...node, test: { ...test, pattern: normalizePattern(v) as Pattern } })));
    }
    default:
      return assertNever(node);
  }
}
