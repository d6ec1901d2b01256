/** A readable rendering of the IR for `sigrep compile --explain`. */
import { patternToSigma } from './pattern';
import { assertNever, type IrNode, type ValueTest } from './types';

export function explainIr(node: IrNode): string {
  const lines: string[] = [];
  render(node, '', lines);
  return lines.join('\n');
}

function render(node: IrNode, indent: string, out: string[]): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      out.push(`${indent}${node.kind.toUpperCase()}`);
      for (const a of node.args) render(a, `${indent}  `, out);
      return;
    case 'not':
      out.push(`${indent}NOT`);
      render(node.arg, `${indent}  `, out);
      return;
    case 'const':
      out.push(`${indent}${node.value ? 'TRUE' : 'FALSE'}`);
      return;
    case 'test':
      out.push(`${indent}${node.field ?? '<keyword>'} ${describeTest(node.test)}`);
      return;
    default:
      assertNever(node);
  }
}

export function describeTest(t: ValueTest): string {
  switch (t.kind) {
    case 'string':
      return `${t.cased ? 'matches (cased)' : 'matches'} '${patternToSigma(t.pattern)}'`;
    case 'regex':
      return `re${t.flags ? `/${t.flags}` : ''} '${t.source}'`;
    case 'number':
      return `== ${t.value}`;
    case 'bool':
      return `== ${t.value}`;
    case 'null':
      return 'is null';
    case 'cidr':
      return `in ${t.cidr}`;
    case 'compare':
      return `${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[t.op]} ${t.value}`;
    case 'exists':
      return 'exists';
    case 'fieldref':
      return `${t.startswith && t.endswith ? 'contains' : t.startswith ? 'startswith' : t.endswith ? 'endswith' : 'equals'} field ${t.field}`;
    case 'timepart':
      return `${t.part} ${t.op === 'eq' ? '==' : { gt: '>', gte: '>=', lt: '<', lte: '<=' }[t.op]} ${t.value}`;
    default:
      return assertNever(t);
  }
}
