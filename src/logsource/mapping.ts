/**
 * Logsource mapping: which events a rule's `logsource` stands for, and under which field names.
 * A category entry adds conditions (EventID, ...), names the service whose channels it is read from, and
 * may rename fields (Image → NewProcessName for Security 4688). Several matching entries are alternatives.
 * Pure: the mapping arrives as data (the bundled table, or a user's file parsed by the caller).
 */
import { and, or } from '../ir/build';
import { assertNever, type IrNode } from '../ir/types';
import type { Logsource } from '../rule/types';
import bundled from './windows-mapping.json';

export interface CategoryEntry {
  readonly category: string;
  readonly product?: string;
  readonly service: string;
  readonly conditions: Readonly<Record<string, readonly (string | number)[]>>;
  readonly rename?: Readonly<Record<string, string>>;
}

export interface LogsourceMapping {
  /** Per product, a field every event of that product carries (Windows events name their Channel). */
  readonly products?: Readonly<Record<string, { readonly field: string }>>;
  readonly services: Readonly<Record<string, readonly string[]>>;
  readonly categories: readonly CategoryEntry[];
}

export const WINDOWS_MAPPING: LogsourceMapping = bundled as LogsourceMapping;

/** One way a rule's events can appear: a gate on the event and field renames for the rule's tests. */
export interface LogsourceBranch {
  readonly gate: IrNode;
  readonly rename: Readonly<Record<string, string>>;
  /** What the branch stands for, for explain output and summaries. */
  readonly description: string;
}

export type LogsourceResolution =
  | { readonly kind: 'mapped'; readonly branches: readonly LogsourceBranch[] }
  /**
   * The mapping does not describe these events. The rule still runs, but only on events that could be
   * its own: events of its product when the mapping knows how to recognise them, otherwise events of no
   * product the mapping recognises (a Cisco rule never fires on a Windows event).
   */
  | { readonly kind: 'unmapped'; readonly gate: IrNode; readonly description: string };

const NO_OFFSET = 0;

function equalsAny(field: string, values: readonly (string | number)[]): IrNode {
  return or(
    values.map((v): IrNode =>
      typeof v === 'number'
        ? { kind: 'test', field, test: { kind: 'number', value: v }, offset: NO_OFFSET }
        : { kind: 'test', field, test: { kind: 'string', pattern: [v], cased: false }, offset: NO_OFFSET },
    ),
  );
}

function same(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

export function resolveLogsource(logsource: Logsource, mapping: LogsourceMapping): LogsourceResolution {
  const channelsOf = (service: string) =>
    Object.entries(mapping.services).find(([name]) => same(name, service))?.[1];
  const branches: LogsourceBranch[] = [];
  if (logsource.category !== undefined) {
    for (const entry of mapping.categories) {
      if (!same(entry.category, logsource.category)) continue;
      if (entry.product !== undefined && logsource.product !== undefined && !same(entry.product, logsource.product)) continue;
      const channels = channelsOf(entry.service) ?? [];
      const conditions = Object.entries(entry.conditions).map(([field, values]) => equalsAny(field, values));
      branches.push({
        gate: and([...(channels.length > 0 ? [equalsAny('Channel', channels)] : []), ...conditions]),
        rename: entry.rename ?? {},
        description: `${entry.service} ${Object.entries(entry.conditions).map(([f, v]) => `${f}=${v.join('|')}`).join(' ')}`.trim(),
      });
    }
  }
  if (branches.length === 0 && logsource.service !== undefined) {
    const channels = channelsOf(logsource.service);
    if (channels) branches.push({ gate: equalsAny('Channel', channels), rename: {}, description: `service ${logsource.service}` });
  }
  if (branches.length > 0) return { kind: 'mapped', branches };
  const products = Object.entries(mapping.products ?? {});
  const own = products.find(([name]) => same(name, logsource.product));
  const exists = (field: string): IrNode => ({ kind: 'test', field, test: { kind: 'exists' }, offset: NO_OFFSET });
  if (own) {
    // `product: windows` with no mapped category or service stands for any Windows event.
    const description = `any ${own[0]} event (field ${own[1].field} present)`;
    if (logsource.category === undefined && logsource.service === undefined) return { kind: 'mapped', branches: [{ gate: exists(own[1].field), rename: {}, description }] };
    return { kind: 'unmapped', gate: exists(own[1].field), description };
  }
  return {
    kind: 'unmapped',
    gate: and(products.map(([, p]) => ({ kind: 'not', arg: exists(p.field) }) as IrNode)),
    description: products.length > 0 ? `events of no known product (no ${products.map(([, p]) => p.field).join(', ')} field)` : 'every event',
  };
}

/** The rule's tree with fields renamed for one branch (fieldref targets too). */
export function renameFields(node: IrNode, rename: Readonly<Record<string, string>>): IrNode {
  if (Object.keys(rename).length === 0) return node;
  switch (node.kind) {
    case 'const':
      return node;
    case 'not':
      return { kind: 'not', arg: renameFields(node.arg, rename) };
    case 'and':
    case 'or':
      return { kind: node.kind, args: node.args.map((a) => renameFields(a, rename)) };
    case 'test': {
      const field = node.field === null ? null : (rename[node.field] ?? node.field);
      const test = node.test.kind === 'fieldref' ? { ...node.test, field: rename[node.test.field] ?? node.test.field } : node.test;
      return { ...node, field, test };
    }
    default:
      return assertNever(node);
  }
}

/** Checks the shape of a user-supplied mapping (already parsed to plain data). */
export function validateMapping(data: unknown): { mapping?: LogsourceMapping; problems: string[] } {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null) return { problems: ['the mapping must be a map with "services" and "categories"'] };
  const d = data as Record<string, unknown>;
  const services = d['services'] ?? {};
  const products = d['products'] ?? {};
  if (typeof products !== 'object' || products === null || Array.isArray(products)) problems.push('"products" must map a product name to {field}');
  else for (const [k, v] of Object.entries(products)) if (typeof (v as { field?: unknown })?.field !== 'string') problems.push(`product "${k}" needs a "field" name`);
  const categories = d['categories'] ?? [];
  if (typeof services !== 'object' || services === null || Array.isArray(services)) problems.push('"services" must map a service name to a list of channels');
  else for (const [k, v] of Object.entries(services)) if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) problems.push(`service "${k}" must list channel names`);
  if (!Array.isArray(categories)) problems.push('"categories" must be a list');
  else
    categories.forEach((c: unknown, i: number) => {
      const e = c as Record<string, unknown>;
      if (typeof e?.['category'] !== 'string' || typeof e?.['service'] !== 'string') problems.push(`categories[${i}] needs "category" and "service"`);
      const conditions = e?.['conditions'];
      if (conditions !== undefined && (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions))) problems.push(`categories[${i}].conditions must be a map`);
      else if (conditions !== undefined)
        for (const [field, values] of Object.entries(conditions as Record<string, unknown>))
          if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number'))
            problems.push(`categories[${i}].conditions.${field} must be a list of strings or numbers`);
      const rename = e?.['rename'];
      if (rename !== undefined && rename !== null && (typeof rename !== 'object' || Array.isArray(rename) || !Object.values(rename).every((v) => typeof v === 'string')))
        problems.push(`categories[${i}].rename must map field names to field names`);
    });
  if (problems.length > 0) return { problems };
  const mapping: LogsourceMapping = {
    products: products as Record<string, { field: string }>,
    services: services as Record<string, string[]>,
    categories: (categories as Record<string, unknown>[]).map((e) => ({
      category: e['category'] as string,
      service: e['service'] as string,
      conditions: (e['conditions'] ?? {}) as Record<string, (string | number)[]>,
      ...(typeof e['product'] === 'string' ? { product: e['product'] } : {}),
      ...(e['rename'] ? { rename: e['rename'] as Record<string, string> } : {}),
    })),
  };
  return { mapping, problems };
}
