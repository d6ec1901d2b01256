/**
 * The legacy parse tree: a faithful model of the Python objects sigmac builds (ConditionAND/OR/NOT,
 * NodeSubexpression, (field, value) tuples, plain str/int values, lists, type-modifier objects).
 *
 * Unlike the rest of the project this tree is mutable and compared partly by identity, because sigmac's
 * optimizer rewrites `items` in place and its duplicate/promotion checks use Python `==`, which is
 * identity for condition nodes and structural for tuples, strings, ints and lists. Byte-identical output
 * depends on reproducing exactly that, so each conversion builds its own fresh tree and owns it.
 */

export interface AndNode {
  readonly kind: 'and';
  items: LNode[];
}
export interface OrNode {
  readonly kind: 'or';
  items: LNode[];
}
/** ConditionNOT: `items` normally holds exactly one node. */
export interface NotNode {
  readonly kind: 'not';
  items: LNode[];
}
/** ConditionNULLValue / ConditionNotNULLValue: produced by conditional field mappings and NOT(NULL). */
export interface NullNode {
  readonly kind: 'null' | 'notnull';
  readonly field: string;
}
export interface SubNode {
  readonly kind: 'sub';
  readonly inner: LNode;
}
/** A Python `(field, value)` tuple. */
export interface MapItem {
  readonly kind: 'map';
  readonly field: string;
  readonly value: LNode;
}
export interface StrValue {
  readonly kind: 'str';
  readonly value: string;
}
export interface IntValue {
  readonly kind: 'int';
  readonly value: number;
}
export interface ListValue {
  readonly kind: 'list';
  readonly items: readonly LNode[];
}
export interface NoneValue {
  readonly kind: 'none';
}
/** A SigmaTypeModifier object (only `re` exists); `str()` of it is its value. */
export interface TypedValue {
  readonly kind: 'typed';
  readonly identifier: 're';
  readonly value: string;
}
/** Bytes from the utf16 modifiers. */
export interface BytesValue {
  readonly kind: 'bytes';
  readonly bytes: readonly number[];
}
/** Any other Python value sigmac only ever rejects (float, bool, dict, date); `pyType` is its `str(type(x))`. */
export interface OtherValue {
  readonly kind: 'other';
  readonly pyType: string;
  readonly text: string;
}

export type LNode =
  | AndNode
  | OrNode
  | NotNode
  | NullNode
  | SubNode
  | MapItem
  | StrValue
  | IntValue
  | ListValue
  | NoneValue
  | TypedValue
  | BytesValue
  | OtherValue;

export const str = (value: string): StrValue => ({ kind: 'str', value });
export const int = (value: number): IntValue => ({ kind: 'int', value });
export const NONE: NoneValue = { kind: 'none' };
export const and = (items: LNode[] = []): AndNode => ({ kind: 'and', items });
export const or = (items: LNode[] = []): OrNode => ({ kind: 'or', items });
export const sub = (inner: LNode): SubNode => ({ kind: 'sub', inner });
export const mapItem = (field: string, value: LNode): MapItem => ({ kind: 'map', field, value });

export function isCondition(n: LNode): n is AndNode | OrNode {
  return n.kind === 'and' || n.kind === 'or';
}

/** Python `==` between two tree members: structural for tuples/str/int/list/None, identity for objects. */
export function pyEq(a: LNode, b: LNode): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'str':
      return b.kind === 'str' && a.value === b.value;
    case 'int':
      return b.kind === 'int' && a.value === b.value;
    case 'none':
      return b.kind === 'none';
    case 'map':
      return b.kind === 'map' && a.field === b.field && pyEq(a.value, b.value);
    case 'list':
      return b.kind === 'list' && a.items.length === b.items.length && a.items.every((x, i) => pyEq(x, b.items[i]!));
    case 'bytes':
      return b.kind === 'bytes' && a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
    default:
      return false; // condition nodes, subexpressions and modifier objects compare by identity
  }
}

/** Python `str(type(x))` for the members of the tree. */
export function pyTypeName(n: LNode | null): string {
  if (n === null) return "<class 'NoneType'>";
  switch (n.kind) {
    case 'and':
      return "<class 'sigma.parser.condition.ConditionAND'>";
    case 'or':
      return "<class 'sigma.parser.condition.ConditionOR'>";
    case 'not':
      return "<class 'sigma.parser.condition.ConditionNOT'>";
    case 'null':
      return "<class 'sigma.parser.condition.ConditionNULLValue'>";
    case 'notnull':
      return "<class 'sigma.parser.condition.ConditionNotNULLValue'>";
    case 'sub':
      return "<class 'sigma.parser.condition.NodeSubexpression'>";
    case 'map':
      return "<class 'tuple'>";
    case 'str':
      return "<class 'str'>";
    case 'int':
      return "<class 'int'>";
    case 'list':
      return "<class 'list'>";
    case 'none':
      return "<class 'NoneType'>";
    case 'typed':
      return "<class 'sigma.parser.modifiers.type.SigmaRegularExpressionModifier'>";
    case 'bytes':
      return "<class 'bytes'>";
    case 'other':
      return n.pyType;
  }
}

/** Python `str(x)` for plain values (what sigmac interpolates into queries and value tables). */
export function pyStr(n: LNode): string {
  switch (n.kind) {
    case 'str':
      return n.value;
    case 'int':
      return String(n.value);
    case 'none':
      return 'None';
    case 'typed':
      return n.value;
    case 'list':
      return `[${n.items.map(pyRepr).join(', ')}]`;
    case 'other':
      return n.text;
    case 'bytes':
      return pyRepr(n);
    default:
      return `<${n.kind}>`;
  }
}

function pyRepr(n: LNode): string {
  if (n.kind === 'str') return `'${n.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (n.kind === 'bytes') return `b'${n.bytes.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}'`;
  return pyStr(n);
}

/** Python `template % (args...)` for templates that only use `%s`; `null` renders as Python's `None`. */
export function fmt(template: string, ...args: (string | null)[]): string {
  let i = 0;
  return template.replace(/%s/g, () => {
    const a = args[i++];
    return a === null || a === undefined ? 'None' : a;
  });
}
