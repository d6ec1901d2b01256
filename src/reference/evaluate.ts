/**
 * The reference evaluator: a plain, obviously-correct interpreter of the IR over one parsed JSON event.
 * It is the ground truth every engine (grep one-liners, matcher plans) is compared with, so it favours
 * clarity over speed: strings are matched with one whole-value JS RegExp per pattern. No I/O.
 *
 * Semantics (documented in the README):
 * - Fields are found by event/field-index.ts (`keys`: a key of that name at any depth); every value
 *   under the name counts, and a test holds when it holds for any of them.
 * - Strings match case-insensitively unless `cased`; numbers and booleans also match by their text.
 * - A keyword (no field) is a *contains* match against any string value of the event, or against the
 *   whole line of a text event (ir/keyword.ts).
 * - `null` holds when no value under the name is non-null (absent or null); `exists` when the name is present.
 */
import { keywordTest } from '../ir/keyword';
import { assertNever, isWildcard, type IrNode, type Pattern, type TestNode, type ValueTest } from '../ir/types';
import { FieldIndex } from '../event/field-index';
import {
  boolEquals,
  cidrMatches,
  compareNumbers,
  compareValue,
  fieldrefMatches,
  numberEquals,
  scalarText,
  timePartValue,
} from '../event/value-semantics';
import type { FieldResolution } from '../plan/types';

export type EventInput = { readonly kind: 'json'; readonly event: unknown } | { readonly kind: 'text'; readonly line: string };

/** An event with its field index built, to evaluate many rules against it. */
export interface PreparedEvent {
  readonly input: EventInput;
  readonly index: FieldIndex | undefined;
}

export function prepareEvent(input: EventInput, resolution: FieldResolution = 'keys'): PreparedEvent {
  return { input, index: input.kind === 'json' ? new FieldIndex(input.event, resolution) : undefined };
}

export function evaluate(node: IrNode, event: EventInput | PreparedEvent): boolean {
  const prepared = 'index' in event ? event : prepareEvent(event);
  return evalNode(node, prepared);
}

function evalNode(node: IrNode, e: PreparedEvent): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'not':
      return !evalNode(node.arg, e);
    case 'and':
      return node.args.every((a) => evalNode(a, e));
    case 'or':
      return node.args.some((a) => evalNode(a, e));
    case 'test':
      return evalTest(node, e);
    default:
      return assertNever(node);
  }
}

function evalTest(node: TestNode, e: PreparedEvent): boolean {
  if (node.field === null) {
    let kw = keywordOf.get(node);
    if (!kw) keywordOf.set(node, (kw = keywordTest(node.test)));
    if (e.input.kind === 'text') return matchValue(kw, e.input.line);
    return (e.index?.strings ?? []).some((v) => matchValue(kw, v));
  }
  const index = e.index;
  if (!index) return false; // a text line has no fields
  const values = index.values(node.field);
  const test = node.test;
  switch (test.kind) {
    case 'null':
      return values.every((v) => v === null);
    case 'exists':
      return index.has(node.field);
    case 'fieldref': {
      const mode = test.startswith && test.endswith ? 'contains' : test.startswith ? 'prefix' : test.endswith ? 'suffix' : 'equals';
      return fieldrefMatches(values, index.values(test.field), mode);
    }
    default:
      return values.some((v) => matchValue(test, v));
  }
}

function matchValue(test: ValueTest, v: unknown): boolean {
  switch (test.kind) {
    case 'string': {
      const s = scalarText(v);
      return s !== undefined && regExpOf(test).test(s);
    }
    case 'number':
      return numberEquals(v, test.value);
    case 'bool':
      return boolEquals(v, test.value);
    case 'regex': {
      const s = scalarText(v);
      const re = sigmaRegExp(test.source, test.flags);
      return s !== undefined && re !== undefined && re.test(s);
    }
    case 'cidr':
      return cidrMatches(v, test.cidr);
    case 'compare':
      return compareValue(v, test.op, test.value);
    case 'timepart': {
      const part = timePartValue(v, test.part);
      return part !== undefined && compareNumbers(part, test.op, test.value);
    }
    case 'null':
      return v === null;
    case 'exists':
    case 'fieldref':
      return false; // need the whole event; handled in evalTest
    default:
      return assertNever(test);
  }
}

const byTest = new WeakMap<ValueTest, RegExp>();
const keywordOf = new WeakMap<TestNode, ValueTest>();

function regExpOf(test: Extract<ValueTest, { kind: 'string' }>): RegExp {
  let re = byTest.get(test);
  if (!re) byTest.set(test, (re = patternRegExp(test.pattern, test.cased)));
  return re;
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
  return s.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
}

const regexCache = new Map<string, RegExp | undefined>();

/**
 * A Sigma `re` value as a JS RegExp with search semantics. Leading inline flags `(?i)` become JS flags;
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
