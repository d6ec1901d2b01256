/**
 * Parse tree + the rule's detection identifiers → resolved tree of identifier references. Pure.
 *
 * Selectors follow pySigma (the conformance oracle): a pattern full-matches names, `*` is any run;
 * `them` and patterns not starting with `_` skip identifiers that start with `_`; matches keep the
 * identifiers' order. A selector matching nothing is dropped from its parent (a warning), a `not` or an
 * `and`/`or` left with nothing is dropped in turn, and a one-argument `and`/`or` becomes its argument.
 * So a wholly empty condition resolves to `null`. Same-operator chains are flattened.
 */
import { assertNever } from '../util/assert-never';
import type { ConditionNode, ConditionProblem, ResolvedCondition } from './condition-types';

export function resolveCondition(
  ast: ConditionNode,
  identifiers: readonly string[],
): { tree: ResolvedCondition | null; problems: readonly ConditionProblem[] } {
  const problems: ConditionProblem[] = [];
  const known = new Set(identifiers);

  const resolve = (node: ConditionNode): ResolvedCondition | null => {
    switch (node.kind) {
      case 'identifier':
        if (known.has(node.name)) return { kind: 'ref', name: node.name, offset: node.offset };
        problems.push({
          code: 'CONDITION_UNDEFINED_IDENTIFIER',
          message: `"${node.name}" is not defined in the detection section`,
          offset: node.offset,
          length: node.length,
          severity: 'error',
        });
        return null;
      case 'selector': {
        const names = identifiers.filter((name) => selects(node.pattern, name));
        if (names.length === 0) {
          problems.push({
            code: 'CONDITION_SELECTOR_NO_MATCH',
            message: `"${node.quantifier} of ${node.pattern}" matches no identifier and is dropped from the condition`,
            offset: node.offset,
            length: node.length,
            severity: 'warning',
          });
          return null;
        }
        const refs = names.map((name): ResolvedCondition => ({ kind: 'ref', name, offset: node.offset }));
        return combine(node.quantifier === 'all' ? 'and' : 'or', refs);
      }
      case 'not': {
        const arg = resolve(node.arg);
        return arg === null ? null : { kind: 'not', arg };
      }
      case 'and':
      case 'or':
        return combine(node.kind, node.args.map(resolve));
      default:
        return assertNever(node);
    }
  };

  const tree = resolve(ast);
  const failed = problems.some((p) => p.severity === 'error');
  return { tree: failed ? null : tree, problems };
}

/** Does selector `pattern` pick identifier `name`? */
export function selects(pattern: string, name: string): boolean {
  if (pattern === 'them') return !name.startsWith('_');
  if (name.startsWith('_') && !pattern.startsWith('_')) return false;
  return globFullMatch(pattern, name);
}

/** Full match where `*` is any run of characters and everything else is literal. Linear-ish, no regex. */
function globFullMatch(pattern: string, s: string): boolean {
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  if (parts.length === 1) return s === first;
  const last = parts[parts.length - 1] ?? '';
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  // Leftmost greedy placement of the middle parts is optimal for `*`-only globs.
  let at = first.length;
  const limit = s.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const found = s.indexOf(part, at);
    if (found < 0 || found + part.length > limit) return false;
    at = found + part.length;
  }
  return true;
}

function combine(kind: 'and' | 'or', args: readonly (ResolvedCondition | null)[]): ResolvedCondition | null {
  const flat: ResolvedCondition[] = [];
  for (const a of args) {
    if (a === null) continue;
    if (a.kind === kind) flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0] ?? null;
  return { kind, args: flat };
}
