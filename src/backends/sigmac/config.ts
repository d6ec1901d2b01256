/**
 * sigmac's conversion configuration: field mappings and logsource conditions. Most emulated backends run
 * with an empty configuration chain (fields unchanged, no logsource condition); logpoint runs with its
 * default chain `sysmon` + `logpoint-windows`, whose tables live in `logpoint-config.json`.
 * The chain logic (FieldMappingChain, merged logsources with rewrites) follows sigmac's so that the
 * tree shapes, and so the output bytes, are the same.
 */
import logpointData from './logpoint-config.json';
import { and, mapItem, or, sub, int, str, type AndNode, type LNode } from './legacy-tree';
import { SigmacError } from './sigmac-error';

export interface RuleLogsource {
  readonly category: string | null;
  readonly product: string | null;
  readonly service: string | null;
}

export interface LegacyConfig {
  /** `config.get_fieldmapping(field).resolve(key, value, parser)`. */
  resolve(field: string, key: string, value: LNode, ruleValues: RuleValues): LNode;
  /** `resolve_fieldname`, used for `fields:` (splunk) and aggregation fields. */
  resolveFieldname(field: string, ruleValues: RuleValues): string | readonly string[] | null;
  /** `get_logsource_condition()`: always an AND node, possibly empty. */
  logsourceCondition(logsource: RuleLogsource, ruleValues: RuleValues): AndNode;
}

/** SigmaParser.values: key as written in the rule (modifiers included) → `str()` of each value. */
export type RuleValues = ReadonlyMap<string, ReadonlySet<string>>;

/** The empty configuration chain (`sigmac` without `-c`). */
export const EMPTY_CONFIG: LegacyConfig = {
  resolve: (field, _key, value) => mapItem(field, value),
  resolveFieldname: (field) => field,
  logsourceCondition: () => and(),
};

type MappingTarget = string | readonly string[] | Readonly<Record<string, string | readonly string[]>>;

interface LogsourceDef {
  readonly category?: string | null;
  readonly product?: string | null;
  readonly service?: string | null;
  readonly conditions: readonly (readonly [string, unknown])[];
  readonly rewrite?: readonly (string | null)[];
}

interface ConfigData {
  readonly name: string;
  readonly logsources: readonly LogsourceDef[];
  readonly fieldmappings: Readonly<Record<string, MappingTarget>>;
}

/** ConditionalFieldMapping: `EventID=4624` style conditions on the rule's own values, plus a default. */
class ConditionalMapping {
  readonly conditions = new Map<string, Map<string, string[]>>();
  readonly defaultTargets: readonly string[] | null;

  constructor(
    readonly source: string,
    target: Readonly<Record<string, string | readonly string[]>>,
  ) {
    let def: readonly string[] | null = null;
    for (const [cond, t] of Object.entries(target)) {
      const parts = cond.split('=');
      if (parts.length === 2) {
        const [field, value] = parts as [string, string];
        const byValue = this.conditions.get(field) ?? new Map<string, string[]>();
        this.conditions.set(field, byValue);
        const list = byValue.get(value) ?? [];
        byValue.set(value, list);
        list.push(...(typeof t === 'string' ? [t] : t));
      } else if (cond === 'default') {
        def = typeof t === 'string' ? [t] : [...t];
      } else {
        throw new SigmacError('SigmaConfigParseError', 'Expected condition or default');
      }
    }
    this.defaultTargets = def;
  }

  // Python collects these in a set; insertion order is used here (sigmac's own order is hash-seeded).
  private targets(values: RuleValues): string[] {
    const out: string[] = [];
    for (const [field, byValue] of this.conditions) {
      const ruleValues = values.get(field);
      if (!ruleValues) continue;
      for (const [value, targets] of byValue) {
        if (ruleValues.has(value)) for (const t of targets) if (!out.includes(t)) out.push(t);
      }
    }
    return out;
  }

  resolve(key: string, value: LNode, values: RuleValues): LNode {
    let targets: readonly string[] = this.targets(values);
    if (targets.length === 0 && this.defaultTargets) targets = this.defaultTargets;
    const one = (target: string): LNode => (value.kind === 'none' ? { kind: 'null', field: target } : mapItem(target, value));
    if (targets.length === 1) return one(targets[0]!);
    if (targets.length > 1) return sub(or(targets.map(one)));
    return one(key);
  }

  resolveFieldname(values: RuleValues): string | readonly string[] | null {
    const targets = this.targets(values);
    return targets.length === 0 ? this.defaultTargets : targets[targets.length - 1]!;
  }
}

type ChainMapping = string | ConditionalMapping | readonly (string | ConditionalMapping)[];

/** A configuration chain built from plain data (FieldMappingChain + SigmaConfigurationChain). */
export function chainConfig(configs: readonly ConfigData[]): LegacyConfig {
  const conditionals = configs.map(
    (c) =>
      new Map(
        Object.entries(c.fieldmappings)
          .filter(([, t]) => typeof t === 'object' && !Array.isArray(t))
          .map(([s, t]) => [s, new ConditionalMapping(s, t as Readonly<Record<string, string | readonly string[]>>)]),
      ),
  );

  const chain = (field: string): ChainMapping => {
    let current: (string | ConditionalMapping)[] = [field];
    configs.forEach((config, i) => {
      if (current.some((m) => m instanceof ConditionalMapping)) {
        throw new SigmacError('FieldMappingError', 'Conditional field mappings are only allowed in last configuration if configurations are chained.');
      }
      const next: (string | ConditionalMapping)[] = [];
      const add = (m: string | ConditionalMapping) => {
        if (!next.includes(m)) next.push(m);
      };
      for (const name of current as string[]) {
        const target = Object.prototype.hasOwnProperty.call(config.fieldmappings, name) ? config.fieldmappings[name] : undefined;
        if (target === undefined || target === null) add(name);
        else if (typeof target === 'string') add(target);
        else if (Array.isArray(target)) (target as readonly string[]).forEach(add);
        else add(conditionals[i]!.get(name)!);
      }
      current = next;
    });
    return current.length === 1 ? current[0]! : current;
  };

  return {
    resolve(field, _key, value, values) {
      const m = chain(field);
      if (typeof m === 'string') return mapItem(m, value);
      if (m instanceof ConditionalMapping) return m.resolve(m.source, value, values);
      const list = m as readonly (string | ConditionalMapping)[];
      return sub(or(list.map((x) => (typeof x === 'string' ? mapItem(x, value) : x.resolve(field, value, values)))));
    },
    resolveFieldname(field, values) {
      const m = chain(field);
      if (typeof m === 'string') return m;
      if (m instanceof ConditionalMapping) return m.resolveFieldname(values);
      return (m as readonly (string | ConditionalMapping)[]).flatMap((x) => {
        if (typeof x === 'string') return [x];
        const r = x.resolveFieldname(values);
        return r === null ? [] : typeof r === 'string' ? [r] : [...r];
      });
    },
    logsourceCondition(logsource, values) {
      let { category, product, service } = logsource;
      const matching: LogsourceDef[] = [];
      for (const config of configs) {
        for (const ls of config.logsources) {
          if (!matches(ls, category, product, service)) continue;
          matching.push(ls);
          if (ls.rewrite) [category = null, product = null, service = null] = ls.rewrite;
        }
      }
      checkMergeable(matching);
      const cond = and();
      for (const ls of matching) {
        for (const [field, value] of ls.conditions) cond.items.push(this.resolve(field, field, plainToNode(value), values));
      }
      return cond;
    },
  };
}

function matches(ls: LogsourceDef, category: string | null, product: string | null, service: string | null): boolean {
  let searched = 0;
  const pairs: [string | null, string | null][] = [
    [category, ls.category ?? null],
    [product, ls.product ?? null],
    [service, ls.service ?? null],
  ];
  for (const [searchval, selfval] of pairs) {
    if (searchval === null && selfval !== null) return false;
    if (selfval !== null) {
      searched++;
      if (searchval !== selfval) return false;
    }
  }
  return searched > 0;
}

function checkMergeable(matching: readonly LogsourceDef[]): void {
  const distinct = (f: (ls: LogsourceDef) => unknown) => new Set(matching.map(f).filter((v) => v !== undefined && v !== null).map((v) => JSON.stringify(v))).size;
  if (distinct((ls) => ls.rewrite) > 1) throw new SigmacError('ValueError', 'More than one matching log source contains a rewrite part');
  if (distinct((ls) => ls.category) > 1 || distinct((ls) => ls.product) > 1 || distinct((ls) => ls.service) > 1) {
    throw new SigmacError('ValueError', 'Merged SigmaLogsourceConfigurations must have disjunct categories, products and services');
  }
}

function plainToNode(v: unknown): LNode {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return int(v);
  if (Array.isArray(v)) return { kind: 'list', items: v.map(plainToNode) };
  return { kind: 'none' };
}

export const LOGPOINT_CONFIG: LegacyConfig = chainConfig((logpointData as unknown as { configs: ConfigData[] }).configs);
