/**
 * The reference evaluator: a plain, obviously-correct interpreter of the IR over one parsed JSON event.
 * It is the ground truth every engine (grep one-liners, matcher plans) is compared with, so it favours
 * clarity over speed. No I/O.
 *
 * Semantics (documented in the README):
 * - A field is looked up by key name at any depth of the event; every value found under that key counts,
 *   and a test holds when it holds for any of them.
 * - Strings match case-insensitively unless `cased`; numbers and booleans also match by their text.
 * - A keyword (no field) matches when its pattern, with implicit leading and trailing `*`, matches any
 *   string value of the event (or the whole line, for a text event); see ir/keyword.ts.
 * - `null` holds when no value under the key is non-null (absent or null); `exists` when the key is present.
 */
import { cidrContains, parseCidr, parseIp } from '../util/ip';
import { keywordTest } from '../ir/keyword';
import { assertNever, isWildcard, type IrNode, type Pattern, type TestNode, type ValueTest } from '../ir/types';

export type EventInput = { readonly kind: 'json'; readonly event: unknown } | { readonly kind: 'text'; readonly line: string };

/** Every value of every key, at any depth. Built once per event. */
export class FieldIndex {
  private readonly byKey = new Map<string, unknown[]>();
  /** All string values (for keywords). */
  readonly strings: string[] = [];

  constructor(event: unknown) {
    this.walk(event);
  }

  values(key: string): readonly unknown[] {
    return this.byKey.get(key) ?? [];
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  private walk(v: unknown): void {
    if (Array.isArray(v)) {
      for (const item of v) this.walk(item);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        let list = this.byKey.get(k);
        if (!list) this.byKey.set(k, (list = []));
        list.push(child);
        this.walk(child);
      }
      return;
    }
    if (typeof v === 'string') this.strings.push(v);
  }
}

export function evaluate(node: IrNode, input: EventInput): boolean {
  const index = input.kind === 'json' ? new FieldIndex(input.event) : undefined;
  return evalNode(node, input, index);
}

function evalNode(node: IrNode, input: EventInput, index: FieldIndex | undefined): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'not':
      return !evalNode(node.arg, input, index);
    case 'and':
      return node.args.every((a) => evalNode(a, input, index));
    case 'or':
      return node.args.some((a) => evalNode(a, input, index));
    case 'test':
      return evalTest(node, input, index);
    default:
      return assertNever(node);
  }
}

function evalTest(node: TestNode, input: EventInput, index: FieldIndex | undefined): boolean {
  if (node.field === null) return evalKeyword(node.test, input, index);
  if (!index) return false; // a text line has no fields
  const values = index.values(node.field);
  const test = node.test;
  switch (test.kind) {
    case 'null':
      return values.every((v) => v === null);
    case 'exists':
      return index.has(node.field);
    case 'fieldref': {
      const others = index.values(test.field).map(scalarText).filter((s): s is string => s !== undefined);
      return values.some((v) => {
        const s = scalarText(v)?.toLowerCase();
        if (s === undefined) return false;
        return others.some((o) => {
          const other = o.toLowerCase();
          if (test.startswith && test.endswith) return s.includes(other);
          if (test.startswith) return s.startsWith(other);
          if (test.endswith) return s.endsWith(other);
          return s === other;
        });
      });
    }
    default:
      return values.some((v) => matchValue(test, v));
  }
}

function evalKeyword(test: ValueTest, input: EventInput, index: FieldIndex | undefined): boolean {
  const kw = keywordTest(test);
  if (input.kind === 'text') return matchValue(kw, input.line);
  return (index?.strings ?? []).some((v) => matchValue(kw, v));
}

/** Text of a scalar as it appears in the event: strings as-is, numbers and booleans as JSON writes them. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function matchValue(test: ValueTest, v: unknown): boolean {
  switch (test.kind) {
    case 'string': {
      const s = scalarText(v);
      return s !== undefined && patternRegExp(test.pattern, test.cased).test(s);
    }
    case 'number':
      return typeof v === 'number' ? v === test.value : typeof v === 'string' && v === String(test.value);
    case 'bool':
      return typeof v === 'boolean' ? v === test.value : typeof v === 'string' && v.toLowerCase() === String(test.value);
    case 'regex': {
      const s = scalarText(v);
      const re = sigmaRegExp(test.source, test.flags);
      return s !== undefined && re !== undefined && re.test(s);
    }
    case 'cidr': {
      const s = scalarText(v);
      const ip = s === undefined ? undefined : parseIp(s);
      const c = parseCidr(test.cidr);
      return ip !== undefined && c.ok && cidrContains(c.cidr, ip);
    }
    case 'compare': {
      const n = numericValue(v);
      if (n === undefined) return false;
      const op = test.op;
      switch (op) {
        case 'gt':
          return n > test.value;
        case 'gte':
          return n >= test.value;
        case 'lt':
          return n < test.value;
        case 'lte':
          return n <= test.value;
        default:
          return assertNever(op);
      }
    }
    case 'timepart': {
      const s = scalarText(v);
      const t = s === undefined ? NaN : Date.parse(s.includes('T') || !/ \d/.test(s) ? s : s.replace(' ', 'T'));
      if (Number.isNaN(t)) return false;
      const part = timePart(new Date(t), test.part);
      const op = test.op;
      switch (op) {
        case 'eq':
          return part === test.value;
        case 'gt':
          return part > test.value;
        case 'gte':
          return part >= test.value;
        case 'lt':
          return part < test.value;
        case 'lte':
          return part <= test.value;
        default:
          return assertNever(op);
      }
    }
    case 'null':
      return v === null;
    case 'exists':
      return true;
    case 'fieldref':
      return false; // needs the event; handled in evalTest
    default:
      return assertNever(test);
  }
}

function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function timePart(d: Date, part: string): number {
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
      // ISO week number.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
      return Math.ceil(((t.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
    }
    default:
      return NaN;
  }
}

const patternCache = new Map<string, RegExp>();

/** A whole-value JS RegExp for a pattern: `*` any run (newlines too), `?` one character. */
export function patternRegExp(pattern: Pattern, cased: boolean): RegExp {
  const key = JSON.stringify([pattern, cased]);
  let re = patternCache.get(key);
  if (!re) {
    const body = pattern
      .map((p) => (typeof p === 'string' ? escapeJs(p) : isWildcard(p) ? (p.wildcard === '*' ? '[^]*' : '[^]') : ''))
      .join('');
    re = new RegExp(`^${body}$`, cased ? 'u' : 'iu');
    patternCache.set(key, re);
  }
  return re;
}

function escapeJs(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

const regexCache = new Map<string, RegExp | undefined>();

/**
 * A Sigma `re` value as a JS RegExp with search semantics. Leading inline flags `(?i)` etc. become JS flags;
 * a regex JS cannot read gives undefined (never matches), which the differential tests would expose.
 */
export function sigmaRegExp(source: string, flags: string): RegExp | undefined {
  const key = `${flags}/${source}`;
  if (regexCache.has(key)) return regexCache.get(key);
  let src = source;
  let f = flags;
  const inline = /^\(\?([ims]+)\)/.exec(src);
  if (inline) {
    f += inline[1];
    src = src.slice(inline[0].length);
  }
  const jsFlags = [...new Set(f.split(''))].filter((c) => 'ims'.includes(c)).join('');
  let re: RegExp | undefined;
  for (const extra of ['u', '']) {
    try {
      re = new RegExp(src, jsFlags + extra);
      break;
    } catch {
      re = undefined;
    }
  }
  regexCache.set(key, re);
  return re;
}
