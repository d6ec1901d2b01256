/**
 * sigmac's SigmaParser and SigmaConditionParser: detection definitions → legacy tree per condition.
 * Definitions are parsed lazily, when the condition reduces an identifier, exactly as sigmac does, so the
 * first error raised is the one sigmac raises. Operators are reduced by precedence over a flat list of
 * tokens and nodes (parentheses first, each parsed and optimized on its own), then the logsource
 * condition of the configuration is ANDed in and the whole tree is optimized.
 */
import type { YamlNode, YamlMap } from '../../rule/yaml-tree';
import { applyModifiers } from './modifiers';
import { optimizeTree } from './optimize';
import { and, int, or, pyStr, pyTypeName, str, sub, type AndNode, type LNode, type OrNode } from './legacy-tree';
import { tokenizeCondition, type Token, type TokenType } from './tokenize-condition';
import { SigmacError, parseError, typeError } from './sigmac-error';
import type { LegacyConfig, RuleLogsource, RuleValues } from './config';

export interface Aggregation {
  readonly aggfunc: 'count' | 'min' | 'max' | 'avg' | 'sum' | 'near';
  /** The function name as written (sigmac's `aggfunc_notrans`). */
  readonly aggfuncText: string;
  readonly aggfield: string | null;
  readonly groupfield: string | null;
  readonly condOp: string | null;
  readonly condition: string | null;
}

export interface ParsedCondition {
  readonly search: LNode | null;
  readonly aggregation: Aggregation | null;
}

export interface ParsedRule {
  readonly conditions: readonly ParsedCondition[];
  readonly values: RuleValues;
}

interface Definition {
  readonly name: string;
  readonly node: YamlNode;
}

type Item = Token | LNode;

const isToken = (x: Item | undefined): x is Token => x !== undefined && x.kind === 'token';

export function parseRule(detection: YamlMap, logsource: RuleLogsource, config: LegacyConfig): ParsedRule {
  const definitions: Definition[] = [];
  const values = new Map<string, Set<string>>();
  for (const e of detection.entries) {
    if (e.key === 'condition') continue;
    definitions.push({ name: e.key, node: e.value });
    extractValues(e.value, values);
  }
  const condEntry = detection.entries.find((e) => e.key === 'condition');
  if (!condEntry) throw parseError('No condition found');
  const tokenized: { tokens: Token[]; offset: number }[] = [];
  const tokenizeAt = (node: YamlNode) => {
    if (node.kind === 'scalar' && typeof node.value === 'string') {
      try {
        tokenized.push({ tokens: tokenizeCondition(node.value), offset: node.offset });
      } catch (e) {
        throw e instanceof SigmacError ? e.at(node.offset) : e;
      }
    } else {
      throw typeError(`SigmaConditionTokenizer constructor expects string or list, got ${pyTypeName(yamlToValue(node))}`, node.offset);
    }
  };
  const cv = condEntry.value;
  if (cv.kind === 'scalar' && typeof cv.value === 'string') tokenizeAt(cv);
  else if (cv.kind === 'seq') cv.items.forEach(tokenizeAt);

  const parser = new RuleParser(definitions, values, config, logsource);
  const conditions = tokenized.map(({ tokens, offset }) => {
    try {
      return parser.parseCondition(tokens);
    } catch (e) {
      throw e instanceof SigmacError ? e.at(offset) : e;
    }
  });
  return { conditions, values };
}

function extractValues(node: YamlNode, values: Map<string, Set<string>>): void {
  if (node.kind === 'seq') node.items.forEach((i) => extractValues(i, values));
  else if (node.kind === 'map') {
    for (const e of node.entries) {
      const set = values.get(e.key) ?? new Set<string>();
      values.set(e.key, set);
      set.add(pyStr(yamlToValue(e.value)));
    }
  }
}

/** PyYAML's plain value as a tree member (integers stay ints; floats, bools, maps are only ever rejected). */
export function yamlToValue(node: YamlNode): LNode {
  switch (node.kind) {
    case 'scalar': {
      const v = node.value;
      if (v === null) return { kind: 'none' };
      if (typeof v === 'string') return str(v);
      if (typeof v === 'boolean') return { kind: 'other', pyType: "<class 'bool'>", text: v ? 'True' : 'False' };
      if (Number.isInteger(v)) return int(v);
      return { kind: 'other', pyType: "<class 'float'>", text: String(v) };
    }
    case 'seq':
      return { kind: 'list', items: node.items.map(yamlToValue) };
    case 'map':
      return { kind: 'other', pyType: "<class 'dict'>", text: '{...}' };
  }
}

const AGG_FUNCS = ['count', 'min', 'max', 'avg', 'sum', 'near'] as const;

class RuleParser {
  constructor(
    private readonly definitions: readonly Definition[],
    private readonly values: RuleValues,
    private readonly config: LegacyConfig,
    private readonly logsource: RuleLogsource,
  ) {}

  parseCondition(tokens: Token[]): ParsedCondition {
    const pipe = tokens.findIndex((t) => t.type === 'PIPE');
    if (pipe < 0) return { search: this.parseSearch(tokens, true), aggregation: null };
    const search = this.parseSearch(tokens.slice(0, pipe), true);
    return { search, aggregation: this.parseAggregation(tokens.slice(pipe + 1)) };
  }

  private parseSearch(input: Item[], top: boolean): LNode | null {
    let tokens = input;
    const indexOf = (type: TokenType, from = 0) => tokens.findIndex((t, i) => i >= from && isToken(t) && t.type === type);
    for (let lPos = indexOf('LPAR'); lPos >= 0; lPos = indexOf('LPAR')) {
      const lTok = tokens[lPos] as Token;
      let depth = 0;
      let rPos = -1;
      for (let i = lPos + 1; i < tokens.length; i++) {
        const t = tokens[i];
        if (isToken(t) && t.type === 'LPAR') depth++;
        else if (isToken(t) && t.type === 'RPAR') {
          if (depth === 0) {
            rPos = i;
            break;
          }
          depth--;
        }
      }
      if (rPos < 0) throw parseError('Missing matching closing parentheses');
      if (lPos + 1 === rPos) throw parseError(`Empty subexpression at ${lTok.pos}`);
      const inner = this.parseSearch(tokens.slice(lPos + 1, rPos), false);
      tokens = [...tokens.slice(0, lPos), sub(this.requireNode(inner)), ...tokens.slice(rPos + 1)];
    }

    const operators: readonly [TokenType, 0 | 1 | 2][] = [
      ['ALL', 1],
      ['ONE', 1],
      ['ID', 0],
      ['NOT', 1],
      ['AND', 2],
      ['OR', 2],
    ];
    for (const [type, arity] of operators) {
      for (let pos = indexOf(type); pos >= 0; pos = indexOf(type)) {
        const op = tokens[pos] as Token;
        if (arity === 0) {
          tokens = [...tokens.slice(0, pos), sub(this.parseByName(op.matched)), ...tokens.slice(pos + 1)];
        } else if (arity === 1) {
          const val = this.at(tokens, pos + 1);
          let node: LNode;
          if (type === 'NOT') node = { kind: 'not', items: [this.asNode(val)] };
          else node = this.generateXOf(val, type === 'ALL' ? 'and' : 'or');
          tokens = [...tokens.slice(0, pos), node, ...tokens.slice(pos + 2)];
        } else {
          const left = pos - 1;
          const v1 = this.at(tokens, left);
          const v2 = this.at(tokens, pos + 1);
          const items = [this.asNode(v1), this.asNode(v2)];
          const node: LNode = type === 'AND' ? and(items) : or(items);
          // Python slicing: an operator in first place takes the last item as left operand (tokens[:-1])
          tokens = [...tokens.slice(0, left), node, ...tokens.slice(pos + 2)];
        }
      }
    }
    if (tokens.length !== 1) throw new SigmacError('ValueError', 'Parse tree must have exactly one start node!');
    let query = this.asNode(tokens[0]!);
    if (top) {
      const cond = and([this.config.logsourceCondition(this.logsource, this.values), query]);
      query = cond;
    }
    return optimizeTree(query);
  }

  private at(tokens: Item[], i: number): Item {
    const v = i < 0 ? tokens[tokens.length + i] : tokens[i];
    if (v === undefined) throw new SigmacError('IndexError', 'list index out of range');
    return v;
  }

  private asNode(x: Item): LNode {
    if (isToken(x)) throw typeError("Node type <class 'sigma.parser.condition.SigmaConditionToken'> was not expected in Sigma parse tree");
    return x;
  }

  private requireNode(x: LNode | null): LNode {
    if (x === null) throw typeError("Node type <class 'NoneType'> was not expected in Sigma parse tree");
    return x;
  }

  private generateXOf(val: Item, cls: 'and' | 'or'): LNode {
    if (!isToken(val)) throw new SigmacError('AttributeError', `'${val.kind}' object has no attribute 'matched'`);
    const make = (): AndNode | OrNode => (cls === 'and' ? and() : or());
    if (val.matched === 'them') {
      const cond = make();
      for (const d of this.definitions) if (d.name !== 'timeframe') cond.items.push(sub(this.parseDefinition(d.node)));
      return sub(cond);
    }
    if (val.matched.indexOf('*') > 0) {
      const cond = make();
      const pattern = new RegExp('^(?:' + val.matched.replace(/\*/g, '.*') + ')$', 'u');
      for (const d of this.definitions) if (d.name !== 'timeframe' && pattern.test(d.name)) cond.items.push(sub(this.parseDefinition(d.node)));
      return sub(cond);
    }
    return sub(this.parseByName(val.matched, cls));
  }

  private parseByName(name: string, override?: 'and' | 'or'): LNode {
    const d = this.definitions.find((x) => x.name === name);
    if (!d) throw parseError(`Unknown definition '${name}'`);
    return this.parseDefinition(d.node, override);
  }

  private parseDefinition(def: YamlNode, override?: 'and' | 'or'): LNode {
    if (def.kind === 'seq') {
      const cond = override === 'and' ? and() : or();
      for (const item of def.items) {
        const v = item.kind === 'scalar' ? yamlToValue(item) : null;
        if (v && (v.kind === 'str' || v.kind === 'int')) cond.items.push(v);
        else if (item.kind === 'map' || item.kind === 'seq') cond.items.push(this.parseDefinition(item));
        else throw parseError('Definition list may only contain plain values or maps', item.offset);
      }
      return cond;
    }
    if (def.kind === 'map') {
      const cond = and();
      for (const e of def.entries) {
        let value = yamlToValue(e.value);
        let field = e.key;
        if (e.key.includes('|')) {
          const [name, ...modifiers] = e.key.split('|');
          field = name!;
          if (modifiers.includes('cidr')) {
            throw parseError('Cannot convert the rule. Unsupported new cidr modifier by SIGMAC. Please use the new PySigma/SigmaCLI to be able to convert the rule', e.keyOffset);
          }
          try {
            value = applyModifiers(value, modifiers);
          } catch (err) {
            throw err instanceof SigmacError ? err.at(e.keyOffset) : err;
          }
        }
        if (value.kind === 'and' || value.kind === 'or') {
          value.items = value.items.map((item) => this.config.resolve(field, e.key, item, this.values));
          cond.items.push(value);
        } else {
          cond.items.push(this.config.resolve(field, e.key, value, this.values));
        }
      }
      return cond;
    }
    const v = yamlToValue(def);
    throw parseError(`Expected map or list, got type ${pyTypeName(v)}: '${pyStr(v)}'`, def.offset);
  }

  /** SigmaAggregationParser: a small state machine over the tokens after `|`. */
  private parseAggregation(tokens: Token[]): Aggregation {
    type Store = 'aggfunc' | 'aggfield' | 'groupfield' | 'cond_op' | 'condition' | null;
    type Rule = readonly [Store, 'func' | 'near' | 'field' | 'id' | null, number];
    const cmp = (next: number): Partial<Record<TokenType, Rule>> => ({
      EQ: ['cond_op', null, next],
      LT: ['cond_op', null, next],
      LTE: ['cond_op', null, next],
      GT: ['cond_op', null, next],
      GTE: ['cond_op', null, next],
    });
    const rules: Partial<Record<TokenType, Rule>>[] = [
      { AGG: ['aggfunc', 'func', 1], NEAR: ['aggfunc', 'near', 8] },
      { LPAR: [null, null, 2] },
      { RPAR: [null, null, 4], ID: ['aggfield', 'field', 3] },
      { RPAR: [null, null, 4] },
      { BY: ['cond_op', null, 5], ...cmp(7) },
      { ID: ['groupfield', 'field', 6] },
      cmp(7),
      { ID: ['condition', null, -1] },
      { ID: [null, 'id', 9] },
      { AND: [null, null, 10] },
      { NOT: [null, null, 8], ID: [null, 'id', 9] },
    ];
    const finals = new Set([-1, 9]);
    const agg: { -readonly [K in keyof Aggregation]: Aggregation[K] } = {
      aggfunc: 'count',
      aggfuncText: '',
      aggfield: null,
      groupfield: null,
      condOp: null,
      condition: null,
    };
    let state = 0;
    for (const token of tokens) {
      if (state < 0) throw parseError(`No further token expected, but read [ Token: ${token.type}: '${token.matched}' ]`);
      const rule = rules[state]?.[token.type];
      if (!rule) throw parseError(`Unexpected token [ Token: ${token.type}: '${token.matched}' ] at ${token.pos} in aggregation expression`);
      const [store, trans, next] = rule;
      let value = token.matched;
      if (trans === 'func' || trans === 'near') {
        const f = AGG_FUNCS.find((x) => x === value);
        if (!f) throw parseError(`Unknown aggregation function '${value}'`);
        agg.aggfunc = f;
      } else if (trans === 'field') {
        const mapped = this.config.resolveFieldname(value, this.values);
        if (typeof mapped !== 'string') throw new SigmacError('NotImplementedError', 'Field mappings in aggregations must be single valued');
        value = mapped;
      }
      if (store === 'aggfunc') agg.aggfuncText = token.matched;
      else if (store === 'aggfield') agg.aggfield = value;
      else if (store === 'groupfield') agg.groupfield = value;
      else if (store === 'cond_op') agg.condOp = value;
      else if (store === 'condition') agg.condition = value;
      state = next;
    }
    if (!finals.has(state)) throw parseError(`Unexpected end of aggregation expression, state=${state}`);
    return agg;
  }
}
