/**
 * Plan leaves → functions over one event. Built once per worker; RE2 objects live here and nowhere else.
 * Literal strategies compare lowercased text (lowercased once per event and field, see EventView).
 */
import type RE2 from 're2';
import type { PlanLeaf } from '../plan/types';
import {
  boolEquals,
  cidrMatches,
  compareNumbers,
  compareValue,
  fieldrefMatches,
  numberEquals,
  timePartValue,
} from '../event/value-semantics';
import type { EventView } from './event-view';

let re2Module: typeof RE2 | undefined;
/** The RE2 addon, loaded with the first regex a scan evaluates (many scans have none: ~3 ms per thread). */
function re2(): typeof RE2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (re2Module ??= require('re2') as typeof RE2);
}

export type LeafMatcher = (event: EventView) => boolean;

export function compileLeaf(leaf: PlanLeaf): LeafMatcher {
  const field = leaf.field;
  switch (leaf.kind) {
    case 'exact':
    case 'prefix':
    case 'suffix':
    case 'contains':
    case 'any': {
      const needle = leaf.cased ? leaf.value : leaf.value.toLowerCase();
      const test = stringTest(leaf.kind, needle);
      if (field === null) return (e) => e.keywordTexts(leaf.cased).some(test);
      return (e) => e.texts(field, leaf.cased).some(test);
    }
    case 'regex': {
      // Compiled on first use: most regex leaves of a large rule set never get past the prefilter,
      // and each RE2 object holds its own automaton.
      let re: RE2 | undefined;
      const test = (s: string) => (re ??= new (re2())(leaf.source, 'u')).test(s);
      if (field === null) return (e) => e.keywordTexts(true).some(test);
      return (e) => e.texts(field, true).some(test);
    }
    case 'number':
      return (e) => e.values(field!).some((v) => numberEquals(v, leaf.value));
    case 'bool':
      return (e) => e.values(field!).some((v) => boolEquals(v, leaf.value));
    case 'null':
      return (e) => e.values(field!).every((v) => v === null);
    case 'exists':
      return (e) => e.has(field!);
    case 'cidr': {
      const cidr = `${leaf.first}/${prefixLength(leaf.first, leaf.last, leaf.version)}`;
      return (e) => e.values(field!).some((v) => cidrMatches(v, cidr));
    }
    case 'compare':
      return (e) => e.values(field!).some((v) => compareValue(v, leaf.op, leaf.value));
    case 'fieldref':
      return (e) => fieldrefMatches(e.values(field!), e.values(leaf.other), leaf.mode);
    case 'timepart':
      return (e) =>
        e.values(field!).some((v) => {
          const part = timePartValue(v, leaf.part);
          return part !== undefined && compareNumbers(part, leaf.op, leaf.value);
        });
  }
}

function stringTest(kind: 'exact' | 'prefix' | 'suffix' | 'contains' | 'any', needle: string): (s: string) => boolean {
  switch (kind) {
    case 'exact':
      return (s) => s === needle;
    case 'prefix':
      return (s) => s.startsWith(needle);
    case 'suffix':
      return (s) => s.endsWith(needle);
    case 'contains':
      return (s) => s.includes(needle);
    case 'any':
      return () => true;
  }
}

/** Prefix length of a CIDR block from its first and last address (plans carry both, not the prefix). */
function prefixLength(first: string, last: string, version: 4 | 6): number {
  const bits = version === 4 ? 32 : 128;
  const a = ipBits(first, version);
  const b = ipBits(last, version);
  let host = 0;
  while (host < bits && ((a >> BigInt(host)) & 1n) === 0n && ((b >> BigInt(host)) & 1n) === 1n) host++;
  return bits - host;
}

function ipBits(text: string, version: 4 | 6): bigint {
  if (version === 4) return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  // Expand `::` then read the eight groups.
  const [head = '', tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = text.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
