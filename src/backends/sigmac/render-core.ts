/**
 * One renderer for every emulated backend: sigmac's BaseBackend dispatch plus the generic text-query
 * rendering of SingleTextQueryBackend, driven by a dialect = a table of tokens/templates, a value
 * escaper, and the few hooks a backend really overrides. A hook receives the renderer and can call the
 * generic implementation (`r.base*`) the way the Python subclass calls `super()`.
 * `null` stands for Python's `None` (an element that renders to nothing).
 */
import { fmt, pyStr, pyTypeName, type LNode, type MapItem, type NotNode, type NullNode, type SubNode, type TypedValue, type ListValue, type AndNode, type OrNode } from './legacy-tree';
import { notImplemented, typeError } from './sigmac-error';
import type { Aggregation, ParsedCondition } from './parse-rule';

export interface TextTokens {
  readonly andToken: string;
  readonly orToken: string;
  readonly notToken: string;
  readonly subExpression: string;
  readonly listExpression: string;
  readonly listSeparator: string;
  readonly valueExpression: string;
  readonly nullExpression: string;
  readonly notNullExpression: string;
  readonly mapExpression: string;
  /** sigmac's `mapListsSpecialHandling`: list values go through `mapItemList` instead of `mapExpression`. */
  readonly mapListsSpecialHandling: boolean;
  readonly mapListValueExpression: string;
  readonly typedValueExpression: Readonly<Partial<Record<TypedValue['identifier'], string>>>;
}

type Out = string | null;

export interface Hooks {
  readonly and?: (r: Renderer, n: AndNode) => Out;
  readonly or?: (r: Renderer, n: OrNode) => Out;
  readonly not?: (r: Renderer, n: NotNode) => Out;
  readonly sub?: (r: Renderer, n: SubNode) => Out;
  readonly list?: (r: Renderer, n: ListValue) => Out;
  readonly mapItem?: (r: Renderer, n: MapItem) => Out;
  readonly mapItemList?: (r: Renderer, field: string, value: ListValue) => Out;
  readonly value?: (r: Renderer, n: LNode & { kind: 'str' | 'int' }) => Out;
  readonly typed?: (r: Renderer, n: TypedValue) => Out;
  readonly nullValue?: (r: Renderer, n: NullNode) => Out;
  readonly notNullValue?: (r: Renderer, n: NullNode) => Out;
  readonly fieldNameMapping?: (r: Renderer, field: string, value: LNode) => string;
  readonly aggregation?: (r: Renderer, agg: Aggregation) => string;
  /** `generateQuery`; the default is the search plus the aggregation. */
  readonly query?: (r: Renderer, parsed: ParsedCondition) => Out;
}

export interface Dialect {
  readonly tokens: TextTokens;
  /** QuoteCharMixin.cleanValue (plus any backend-specific cleaning). */
  readonly cleanValue: (value: string) => string;
  readonly hooks: Hooks;
  /** BaseBackend.generate refuses several conditions; splunk's own generate() does not check. */
  readonly allowsMultipleConditions?: boolean;
}

export const NOT_IMPLEMENTED = 'Node type not implemented for this backend';

/** Per-conversion renderer. `state` carries backend flags sigmac keeps on the backend object (es-qs). */
export class Renderer {
  constructor(
    readonly dialect: Dialect,
    readonly state: Record<string, boolean> = {},
  ) {}

  private get t(): TextTokens {
    return this.dialect.tokens;
  }

  /** BaseBackend.generateNode: dispatch on the Python type of the node. */
  node(n: LNode | null): Out {
    const h = this.dialect.hooks;
    if (n === null) throw typeError(`Node type ${pyTypeName(null)} was not expected in Sigma parse tree`);
    switch (n.kind) {
      case 'and':
        return h.and ? h.and(this, n) : this.baseAnd(n);
      case 'or':
        return h.or ? h.or(this, n) : this.baseOr(n);
      case 'not':
        return h.not ? h.not(this, n) : this.baseNot(n);
      case 'null':
        return h.nullValue ? h.nullValue(this, n) : this.baseNullValue(n);
      case 'notnull':
        return h.notNullValue ? h.notNullValue(this, n) : this.baseNotNullValue(n);
      case 'sub':
        return h.sub ? h.sub(this, n) : this.baseSub(n);
      case 'map':
        return h.mapItem ? h.mapItem(this, n) : this.baseMapItem(n);
      case 'str':
      case 'int':
        return h.value ? h.value(this, n) : this.baseValue(n);
      case 'list':
        return h.list ? h.list(this, n) : this.baseList(n);
      case 'typed':
        return h.typed ? h.typed(this, n) : this.baseTyped(n);
      case 'none':
      case 'bytes':
      case 'other':
        throw typeError(`Node type ${pyTypeName(n)} was not expected in Sigma parse tree`);
    }
  }

  join(items: readonly LNode[], token: string): Out {
    const parts = items.map((i) => this.node(i)).filter((g): g is string => g !== null);
    return parts.length > 0 ? parts.join(token) : null;
  }

  baseAnd(n: AndNode): Out {
    return this.join(n.items, this.t.andToken);
  }

  baseOr(n: OrNode): Out {
    return this.join(n.items, this.t.orToken);
  }

  baseNot(n: NotNode): Out {
    const g = this.node(n.items[0] ?? null);
    return g === null ? null : this.t.notToken + g;
  }

  baseSub(n: SubNode): Out {
    const g = this.node(n.inner);
    return g ? fmt(this.t.subExpression, g) : null;
  }

  checkListValues(n: ListValue): void {
    if (!n.items.every((v) => v.kind === 'str' || v.kind === 'int')) throw typeError('List values must be strings or numbers');
  }

  baseList(n: ListValue): Out {
    this.checkListValues(n);
    return fmt(this.t.listExpression, n.items.map((v) => this.node(v)).join(this.t.listSeparator));
  }

  fieldNameMapping(field: string, value: LNode): string {
    const h = this.dialect.hooks.fieldNameMapping;
    return h ? h(this, field, value) : field;
  }

  baseMapItem(n: MapItem): Out {
    const { value } = n;
    const field = this.fieldNameMapping(n.field, value);
    const plain = value.kind === 'str' || value.kind === 'int';
    if (plain || (!this.t.mapListsSpecialHandling && value.kind === 'list')) return fmt(this.t.mapExpression, field, this.node(value));
    if (value.kind === 'list') return this.mapItemList(field, value);
    if (value.kind === 'typed') return fmt(this.t.mapExpression, field, this.node(value));
    if (value.kind === 'none') return fmt(this.t.nullExpression, field);
    throw typeError(`Backend does not support map values of type ${pyTypeName(value)}`);
  }

  mapItemList(field: string, value: ListValue): Out {
    const h = this.dialect.hooks.mapItemList;
    return h ? h(this, field, value) : fmt(this.t.mapListValueExpression, field, this.node(value));
  }

  baseValue(n: LNode): Out {
    return fmt(this.t.valueExpression, this.dialect.cleanValue(pyStr(n)));
  }

  baseTyped(n: TypedValue): Out {
    const expr = this.t.typedValueExpression[n.identifier];
    if (expr === undefined) throw notImplemented(`Type modifier '${n.identifier}' is not supported by backend`);
    return fmt(expr, n.value);
  }

  baseNullValue(n: NullNode): Out {
    return fmt(this.t.nullExpression, n.field);
  }

  baseNotNullValue(n: NullNode): Out {
    return fmt(this.t.notNullExpression, n.field);
  }

  /** BaseBackend.generate for one parsed rule: the text sigmac prints, or null when it prints nothing. */
  generate(conditions: readonly ParsedCondition[]): Out {
    if (conditions.length > 1 && !this.dialect.allowsMultipleConditions) throw notImplemented("Base backend doesn't support multiple conditions");
    const first = conditions[0];
    if (!first) return null;
    const h = this.dialect.hooks;
    if (h.query) return h.query(this, first);
    const search = this.node(first.search);
    if (!first.aggregation) return search;
    if (search === null) throw typeError("unsupported operand type(s) for +=: 'NoneType' and 'str'");
    if (!h.aggregation) throw notImplemented('Aggregations not implemented for this backend');
    return search + h.aggregation(this, first.aggregation);
  }
}
