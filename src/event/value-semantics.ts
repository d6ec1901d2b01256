/**
 * What the typed tests mean on one JSON value, shared by the reference evaluator and the engine so they
 * cannot drift: numbers and booleans match by value or by their text, CIDR by parsed address, comparisons
 * numerically, timestamp parts in UTC.
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from '../util/ip';

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';
export type TimePartName = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** Text of a scalar as the event holds it: strings as-is, numbers and booleans as JSON writes them. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function numberEquals(v: unknown, n: number): boolean {
  return typeof v === 'number' ? v === n : typeof v === 'string' && v === String(n);
}

export function boolEquals(v: unknown, b: boolean): boolean {
  return typeof v === 'boolean' ? v === b : typeof v === 'string' && v.toLowerCase() === String(b);
}

export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function compareNumbers(a: number, op: CompareOp | 'eq', b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

export function compareValue(v: unknown, op: CompareOp, n: number): boolean {
  const x = numericValue(v);
  return x !== undefined && compareNumbers(x, op, n);
}

const cidrCache = new Map<string, Cidr | undefined>();

export function cidrMatches(v: unknown, cidr: string): boolean {
  let c = cidrCache.get(cidr);
  if (!cidrCache.has(cidr)) {
    const parsed = parseCidr(cidr);
    c = parsed.ok ? parsed.cidr : undefined;
    cidrCache.set(cidr, c);
  }
  const s = scalarText(v);
  const ip = s === undefined ? undefined : parseIp(s);
  return c !== undefined && ip !== undefined && cidrContains(c, ip);
}

/** A timestamp part in UTC; `2026-11-02 09:14:03` (space) is read like the ISO form. */
export function timePartValue(v: unknown, part: TimePartName): number | undefined {
  const s = scalarText(v);
  if (s === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(s) ? s.replace(' ', 'T') : s);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number.
      const u = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = u.getUTCDay() || 7;
      u.setUTCDate(u.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(u.getUTCFullYear(), 0, 1);
      return Math.ceil(((u.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

export type FieldrefMode = 'equals' | 'prefix' | 'suffix' | 'contains';

/** Field references compare case-insensitively (the spec is silent; this is the documented choice). */
export function fieldrefMatches(values: readonly unknown[], others: readonly unknown[], mode: FieldrefMode): boolean {
  const otherTexts = others.map(scalarText).filter((s): s is string => s !== undefined).map((s) => s.toLowerCase());
  return values.some((v) => {
    const s = scalarText(v)?.toLowerCase();
    if (s === undefined) return false;
    return otherTexts.some((o) => {
      switch (mode) {
        case 'equals':
          return s === o;
        case 'prefix':
          return s.startsWith(o);
        case 'suffix':
          return s.endsWith(o);
        case 'contains':
          return s.includes(o);
      }
    });
  });
}
