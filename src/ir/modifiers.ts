/**
 * The Sigma modifier registry: each modifier is a small typed function over one value, applied left to
 * right. `all` and `neq` act on the whole value list and are returned as flags. Expansions
 * (base64offset, windash) produce several values that are always OR-ed, even under `all`.
 */
import { parseSigmaString } from '../rule/sigma-string';
import { parseRegex } from '../regex/parse-regex';
import { formatIp, parseCidr } from '../util/ip';
import {
  base64,
  base64Offsets,
  utf16,
  UTF16_BOM,
  windashPositions,
  WINDASH_CHARACTERS,
  isWordCharacter,
} from './encodings';
import {
  hasWildcards,
  normalizePattern,
  plainLiteral,
  withLeadingStar,
  withTrailingStar,
} from './pattern';
import { type CompareOp, type Pattern, type PatternPart, type TimePart, type ValueTest } from './types';
import type { ScalarValue } from '../rule/yaml-tree';

/** A value as it moves through the modifier chain. */
export type ChainValue =
  | {
      readonly kind: 'string';
      readonly pattern: Pattern;
      readonly cased: boolean;
      /** Char codes are bytes (after wide/utf16*), so base64 encodes them as-is rather than as UTF-8. */
      readonly bytes: boolean;
      /** Set once any modifier changed the value; re and cidr accept only unmodified values. */
      readonly modified: boolean;
      /** The raw YAML text, for modifiers that must not see Sigma escapes (re, cidr). */
      readonly source: string;
    }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'expansion'; readonly values: readonly ChainValue[] }
  | { readonly kind: 'final'; readonly test: ValueTest; readonly modifiable: 'regex' | 'fieldref' | 'timepart' | 'none' };

export interface ModifierProblem {
  readonly code: 'MODIFIER_UNKNOWN' | 'MODIFIER_TYPE' | 'MODIFIER_ORDER' | 'VALUE_INVALID' | 'REGEX_INVALID' | 'CIDR_INVALID';
  readonly message: string;
}

export type ModifierResult = { readonly ok: true; readonly value: ChainValue } | { readonly ok: false; readonly problem: ModifierProblem };

interface ModifierContext {
  /** Position of this modifier in the chain (0 = first). */
  readonly index: number;
  readonly field: string | null;
}

type ModifierFn = (v: ChainValue, ctx: ModifierContext) => ModifierResult;

const ok = (value: ChainValue): ModifierResult => ({ ok: true, value });
const fail = (code: ModifierProblem['code'], message: string): ModifierResult => ({ ok: false, problem: { code, message } });
const typeError = (name: string, v: ChainValue): ModifierResult =>
  fail('MODIFIER_TYPE', `modifier "${name}" cannot apply to ${describe(v)}`);

function describe(v: ChainValue): string {
  switch (v.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${v.value}`;
    case 'bool':
      return `the boolean ${v.value}`;
    case 'null':
      return 'null';
    case 'exists':
      return 'an exists test';
    case 'expansion':
      return 'an expanded value';
    case 'final':
      return `a ${v.test.kind} value`;
  }
}

/** Lifts a per-string function over expansions. */
function onStrings(name: string, f: (v: Extract<ChainValue, { kind: 'string' }>) => ModifierResult): ModifierFn {
  const apply: ModifierFn = (v, ctx) => {
    if (v.kind === 'string') return f(v);
    if (v.kind === 'expansion') {
      const values: ChainValue[] = [];
      for (const item of v.values) {
        const r = apply(item, ctx);
        if (!r.ok) return r;
        values.push(r.value);
      }
      return ok({ kind: 'expansion', values });
    }
    return typeError(name, v);
  };
  return apply;
}

function wildcardModifier(name: 'contains' | 'startswith' | 'endswith'): ModifierFn {
  const leading = name !== 'startswith';
  const trailing = name !== 'endswith';
  const onString = onStrings(name, (s) => {
    let p = s.pattern;
    if (leading) p = withLeadingStar(p);
    if (trailing) p = withTrailingStar(p);
    return ok({ ...s, pattern: p, modified: true });
  });
  return (v, ctx) => {
    if (v.kind === 'final' && v.modifiable === 'regex' && v.test.kind === 'regex') {
      let src = v.test.source;
      if (leading && !src.startsWith('.*') && !src.startsWith('^')) src = `.*${src}`;
      if (trailing && !src.endsWith('.*') && !src.endsWith('$')) src = `${src}.*`;
      return ok({ ...v, test: { ...v.test, source: src } });
    }
    if (v.kind === 'final' && v.modifiable === 'fieldref' && v.test.kind === 'fieldref') {
      return ok({ ...v, test: { ...v.test, startswith: v.test.startswith || trailing, endswith: v.test.endswith || leading } });
    }
    return onString(v, ctx);
  };
}

function encodeModifier(name: string, encode: (text: string) => string): ModifierFn {
  return onStrings(name, (s) => {
    // Wildcards survive an encoding as wildcards (pySigma does the same); only literal runs are encoded.
    const pattern = s.pattern.map((x): PatternPart => (typeof x === 'string' ? encode(x) : x));
    return ok({ ...s, pattern: normalizePattern(pattern), bytes: true, modified: true });
  });
}

function base64Modifier(name: 'base64' | 'base64offset'): ModifierFn {
  return onStrings(name, (s) => {
    const text = plainLiteral(s.pattern);
    if (text === undefined || hasWildcards(s.pattern)) {
      return fail('VALUE_INVALID', `${name} cannot encode a value with wildcards; put contains after ${name}`);
    }
    if (name === 'base64') return ok({ ...s, pattern: normalizePattern([base64(text, s.bytes)]), bytes: false, modified: true });
    const values: ChainValue[] = base64Offsets(text, s.bytes).map((b) => ({
      ...s,
      pattern: normalizePattern([b]),
      bytes: false,
      modified: true,
    }));
    return ok({ kind: 'expansion', values });
  });
}

const windash = onStrings('windash', (s) => {
  // Positions are found over the whole pattern: a wildcard counts as a non-word neighbour.
  const slots: { part: number; index: number }[] = [];
  let previousIsWord = false;
  s.pattern.forEach((part, pi) => {
    if (typeof part !== 'string') {
      previousIsWord = false;
      return;
    }
    for (const index of windashPositions(part, previousIsWord)) slots.push({ part: pi, index });
    previousIsWord = isWordCharacter(part[part.length - 1] ?? '');
  });
  if (slots.length === 0) return ok({ kind: 'expansion', values: [s] });
  const values: ChainValue[] = [];
  const total = WINDASH_CHARACTERS.length ** slots.length;
  for (let n = 0; n < total; n++) {
    // Odometer order with the first slot varying slowest, as itertools.product gives.
    const choice: number[] = [];
    let rest = n;
    for (let k = slots.length - 1; k >= 0; k--) {
      choice[k] = rest % WINDASH_CHARACTERS.length;
      rest = Math.floor(rest / WINDASH_CHARACTERS.length);
    }
    const parts = s.pattern.map((part, pi) => {
      if (typeof part !== 'string') return part;
      // windashPositions gives UTF-16 indexes; a dash is one unit, so replacing by index is safe.
      const arr = part.split('');
      slots.forEach((slot, k) => {
        if (slot.part === pi) arr[slot.index] = WINDASH_CHARACTERS[choice[k] ?? 0]!;
      });
      return arr.join('');
    });
    values.push({ ...s, pattern: normalizePattern(parts), modified: true });
  }
  return ok({ kind: 'expansion', values });
});

function compareModifier(op: CompareOp): ModifierFn {
  return (v) => {
    if (v.kind === 'number') return ok({ kind: 'final', test: { kind: 'compare', op, value: v.value }, modifiable: 'none' });
    if (v.kind === 'final' && v.modifiable === 'timepart' && v.test.kind === 'timepart' && v.test.op === 'eq') {
      return ok({ ...v, test: { ...v.test, op }, modifiable: 'none' });
    }
    return typeError(op, v);
  };
}

function timePartModifier(part: TimePart): ModifierFn {
  return (v) => {
    if (v.kind !== 'number') return typeError(part, v);
    return ok({ kind: 'final', test: { kind: 'timepart', part, op: 'eq', value: v.value }, modifiable: 'timepart' });
  };
}

function regexFlag(name: string, flag: 'i' | 'm' | 's'): ModifierFn {
  return (v) => {
    if (v.kind === 'final' && v.test.kind === 'regex') {
      const flags = [...new Set([...v.test.flags, flag])].sort().join('');
      return ok({ ...v, test: { ...v.test, flags } });
    }
    return typeError(name, v);
  };
}

const unmodified = (v: ChainValue): boolean => v.kind !== 'string' || !v.modified;

const re: ModifierFn = (v) => {
  if (v.kind !== 'string') return typeError('re', v);
  if (!unmodified(v)) return fail('MODIFIER_ORDER', 're must be the first modifier: it applies only to unmodified values');
  const parsed = parseRegex(v.source);
  if (!parsed.ast) return fail('REGEX_INVALID', `invalid regular expression ${JSON.stringify(v.source)}: ${parsed.problems[0]?.message ?? 'syntax error'}`);
  return ok({ kind: 'final', test: { kind: 'regex', source: v.source, flags: '' }, modifiable: 'regex' });
};

const cidr: ModifierFn = (v) => {
  if (v.kind !== 'string') return typeError('cidr', v);
  if (!unmodified(v)) return fail('MODIFIER_ORDER', 'cidr must be the first modifier: it applies only to unmodified values');
  const parsed = parseCidr(v.source);
  if (!parsed.ok) return fail('CIDR_INVALID', `invalid CIDR expression: ${parsed.message}`);
  const c = parsed.cidr;
  return ok({
    kind: 'final',
    test: {
      kind: 'cidr',
      cidr: v.source,
      version: c.version,
      network: formatIp(c.version, c.network),
      prefixLength: c.prefixLength,
      first: formatIp(c.version, c.first),
      last: formatIp(c.version, c.last),
    },
    modifiable: 'none',
  });
};

const exists: ModifierFn = (v, ctx) => {
  if (ctx.field === null) return fail('MODIFIER_TYPE', 'exists must be applied to a field, not to keywords');
  if (v.kind !== 'bool') return typeError('exists', v);
  return ok({ kind: 'exists', value: v.value });
};

const fieldref: ModifierFn = (v) => {
  if (v.kind !== 'string') return typeError('fieldref', v);
  const name = plainLiteral(v.pattern);
  if (name === undefined) return fail('VALUE_INVALID', 'a field reference must not contain wildcards');
  return ok({ kind: 'final', test: { kind: 'fieldref', field: name, startswith: false, endswith: false }, modifiable: 'fieldref' });
};

const cased = onStrings('cased', (s) => ok({ ...s, cased: true }));

const expand = onStrings('expand', (s) => {
  // Placeholders are `%name%` inside literal runs; `\%` is a literal percent sign.
  const out: PatternPart[] = [];
  for (const part of s.pattern) {
    if (typeof part !== 'string') {
      out.push(part);
      continue;
    }
    let literal = '';
    for (let i = 0; i < part.length; i++) {
      const c = part[i]!;
      if (c === '\\' && part[i + 1] === '%') {
        literal += '%';
        i++;
      } else if (c === '%') {
        const end = part.indexOf('%', i + 1);
        if (end < 0) {
          literal += c;
          continue;
        }
        out.push(literal, { placeholder: part.slice(i + 1, end) });
        literal = '';
        i = end;
      } else {
        literal += c;
      }
    }
    out.push(literal);
  }
  return ok({ ...s, pattern: normalizePattern(out), modified: true });
});

/** Modifier name → function. `all` and `neq` are flags handled by the caller. */
const REGISTRY: Readonly<Record<string, ModifierFn>> = {
  contains: wildcardModifier('contains'),
  startswith: wildcardModifier('startswith'),
  endswith: wildcardModifier('endswith'),
  base64: base64Modifier('base64'),
  base64offset: base64Modifier('base64offset'),
  wide: encodeModifier('wide', (t) => utf16(t, false)),
  // `utf16le` is in the spec but not in pySigma; we accept it as the alias of `wide` it is documented as.
  utf16le: encodeModifier('utf16le', (t) => utf16(t, false)),
  utf16be: encodeModifier('utf16be', (t) => utf16(t, true)),
  utf16: encodeModifier('utf16', (t) => UTF16_BOM + utf16(t, false)),
  windash,
  re,
  i: regexFlag('i', 'i'),
  ignorecase: regexFlag('ignorecase', 'i'),
  m: regexFlag('m', 'm'),
  multiline: regexFlag('multiline', 'm'),
  s: regexFlag('s', 's'),
  dotall: regexFlag('dotall', 's'),
  cidr,
  exists,
  fieldref,
  cased,
  expand,
  gt: compareModifier('gt'),
  gte: compareModifier('gte'),
  lt: compareModifier('lt'),
  lte: compareModifier('lte'),
  minute: timePartModifier('minute'),
  hour: timePartModifier('hour'),
  day: timePartModifier('day'),
  week: timePartModifier('week'),
  month: timePartModifier('month'),
  year: timePartModifier('year'),
};

export const FLAG_MODIFIERS = ['all', 'neq'] as const;
export const KNOWN_MODIFIERS: readonly string[] = [...Object.keys(REGISTRY), ...FLAG_MODIFIERS];

/** Modifiers that must come first in a chain. */
const FIRST_ONLY = new Set(['re', 'cidr', 'exists']);

export function isKnownModifier(name: string): boolean {
  return KNOWN_MODIFIERS.includes(name);
}

/** A YAML scalar as the first chain value. Strings are parsed as Sigma strings (wildcards, escapes). */
export function initialValue(v: ScalarValue): ChainValue {
  if (v === null) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  return stringValue(v);
}

function stringValue(text: string): ChainValue {
  return { kind: 'string', pattern: parseSigmaString(text), cased: false, bytes: false, modified: false, source: text };
}

export function applyModifier(name: string, value: ChainValue, index: number, field: string | null): ModifierResult {
  const fn = REGISTRY[name];
  if (!fn) return fail('MODIFIER_UNKNOWN', `unknown modifier "${name}"`);
  if (FIRST_ONLY.has(name) && index > 0) {
    // A flag modifier (all, neq) before does not count as modifying the value.
    return fail('MODIFIER_ORDER', `${name} must be the first modifier`);
  }
  return fn(value, { index, field });
}

/** Turns the chain's end result into tests; an expansion gives several (OR-ed). */
export function finish(v: ChainValue): { tests: ValueTest[]; negate: boolean } | { problem: ModifierProblem } {
  switch (v.kind) {
    case 'string':
      return { tests: [{ kind: 'string', pattern: v.pattern, cased: v.cased }], negate: false };
    case 'number':
      return { tests: [{ kind: 'number', value: v.value }], negate: false };
    case 'bool':
      return { tests: [{ kind: 'bool', value: v.value }], negate: false };
    case 'exists':
      return { tests: [{ kind: 'exists' }], negate: !v.value };
    case 'null':
      return { tests: [{ kind: 'null' }], negate: false };
    case 'final':
      return { tests: [v.test], negate: false };
    case 'expansion': {
      const tests: ValueTest[] = [];
      for (const item of v.values) {
        const r = finish(item);
        if ('problem' in r) return r;
        tests.push(...r.tests);
      }
      return { tests, negate: false };
    }
  }
}
