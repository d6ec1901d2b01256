/**
 * Test helper: the regex corpus — every `|re` value of the shared rule sets (read with the project's rule
 * loader) plus hand-written edge cases — and a sampler that builds strings likely to match a regex.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuleText } from '../../src/rule/load-rules';
import type { YamlNode } from '../../src/rule/yaml-tree';
import { anySet, caseVariants, classSet, escapeClassSet, type CharSet } from '../../src/regex/char-set';
import { effective, type BaseFlags, type RegexNode } from '../../src/regex/regex-ast';

export interface CorpusRegex {
  readonly source: string;
  readonly flags: string;
  readonly origin: string;
}

/** dist/test/regex → project root is three levels up; shared data sits next to the project. */
export const SHARED = path.resolve(__dirname, '../../..', '../shared');
export const RULE_DIRS = ['conformance/sigmac/rules', 'corpora/sigma-regression/rules'].map((d) => path.join(SHARED, d));

export function ruleRegexes(): CorpusRegex[] | undefined {
  if (!RULE_DIRS.every((d) => fs.existsSync(d))) return undefined;
  const out = new Map<string, CorpusRegex>();
  const walkDir = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walkDir(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const loaded = loadRuleText(p, fs.readFileSync(p, 'utf8'));
        for (const doc of loaded.documents) if (doc.kind === 'rule') visit(doc.detection, p);
      }
    }
  };
  const visit = (node: YamlNode, file: string): void => {
    if (node.kind === 'seq') node.items.forEach((n) => visit(n, file));
    if (node.kind !== 'map') return;
    for (const entry of node.entries) {
      const mods = entry.key.split('|').slice(1);
      if (!mods.includes('re')) {
        visit(entry.value, file);
        continue;
      }
      const flags = ['i', 'm', 's'].filter((f) => mods.includes(f) || mods.includes({ i: 'ignorecase', m: 'multiline', s: 'dotall' }[f]!)).join('');
      const values = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
      for (const v of values) {
        if (v.kind === 'scalar' && typeof v.value === 'string') {
          out.set(`${flags}/${v.value}`, { source: v.value, flags, origin: path.relative(SHARED, file) });
        }
      }
    }
  };
  RULE_DIRS.forEach(walkDir);
  return [...out.values()];
}

/** Hand-written cases for the corners: JSON specials, anchors, boundaries, case folding, astral chars. */
export const EDGE_CASES: readonly CorpusRegex[] = [
  ['^abc$', ''], ['a.c', ''], ['a.c', 's'], ['(?s)a.c', ''], ['^$', ''], ['\\\\', ''], ['"', ''], ['\\/', ''],
  ['[^a]', ''], ['[^"]+$', ''], ['^[^\\\\]*$', ''], ['\\n', ''], ['(?m)^b', ''], ['^b', 'm'], ['(?m)a$', ''],
  ['\\bab\\b', ''], ['\\Bb', ''], ['\\d+\\b', ''], ['x\\b', ''], ['.\\b', ''], ['(?i)é', ''], ['(?i)k', ''],
  ['k', 'i'], ['s+', 'i'], ['(?i)[a-z]+x', ''], ['é.$', ''], ['😀', ''], ['^.$', ''], ['^..$', ''],
  ['[\\x{1F600}-\\x{1F64F}]', ''], ['[^😀]', ''], ['^[^😀]$', ''], ['\\t|\\r', ''], ['[\\x00-\\x1f]', ''],
  ['\\x7f', ''], ['a(?=b)', ''], ['a(?!b)', ''], ['(?<=a)b', ''], ['(?<!a)b', ''], ['(a)\\1', ''],
  ['(?<n>x)\\k<n>', ''], ['a{2,3}', ''], ['a*?b', ''], ['\\s', ''], ['\\S+$', ''], ['\\W', ''], ['^\\w+$', ''],
  ['a\\Z', ''], ['\\Aa', ''], ['a\\z', ''], ['(?i:A)b', ''], ['a(?i)b|c', ''], ['[[:punct:]]', ''],
  ['[[:^alpha:]]x', ''], ['\\h', ''], ['\\v', ''], ['(^a|b$)', ''], ['x(^|y)', ''], ['(?:a|\\bb)', ''],
  ['[é-ü]', 'i'], ['É', 'i'], ['\\\\n', ''], ['\\\\u0041', ''], ['^\\\\"', ''], ['.{3}', ''], ['^.{3}$', 's'],
  ['[\\s\\S]{2}$', ''], ['(?i)ſ', ''], ['\\x{212A}', 'i'], ['ab|^c|d$', ''], ['(?m)^$', ''],
].map(([source, flags]) => ({ source: source!, flags: flags!, origin: 'edge case' }));

/** A seeded PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NOISE = [
  'a', 'b', 'c', 'x', 'A', 'B', '0', '9', '_', '-', ' ', '"', '\\', '/', '\n', '\t', '\r', '\u0000', '\u001f',
  '\u007f', 'é', 'É', 'ü', '😀', '\ud800', '\udc00', '.', ':', '{', '}', 'k', 's', 'K', 'S', '\u212a', 'ſ', 'n',
  'u', '\u2028', '\u00a0', '\u0085',
];

function pick(set: CharSet, rand: () => number): string {
  if (set.length === 0) return '';
  const preferAscii = set.filter(([a]) => a < 0x80);
  const pool = rand() < 0.8 && preferAscii.length > 0 ? preferAscii : set;
  const [a, b] = pool[Math.floor(rand() * pool.length)]!;
  const hi = Math.min(b, a + 200);
  let cp = a + Math.floor(rand() * (hi - a + 1));
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
  return String.fromCodePoint(cp);
}

/** A string built by walking the regex; lookarounds and backreferences are ignored (the oracle decides). */
export function sample(ast: RegexNode, flags: BaseFlags, rand: () => number): string {
  const walk = (node: RegexNode): string => {
    switch (node.kind) {
      case 'alternation':
        return walk(node.alternatives[Math.floor(rand() * node.alternatives.length)]!);
      case 'sequence':
        return node.items.map(walk).join('');
      case 'group':
        return ['capturing', 'named', 'non-capturing', 'atomic'].includes(node.group) ? walk(node.body) : '';
      case 'quantifier': {
        const max = Math.min(node.max ?? node.min + 3, node.min + 3);
        const n = node.min + Math.floor(rand() * (max - node.min + 1));
        let out = '';
        for (let k = 0; k < n; k++) out += walk(node.body);
        return out;
      }
      case 'char': {
        const vs = effective(flags, node.inline, 'i') ? caseVariants(node.codePoint) : [node.codePoint];
        return String.fromCodePoint(vs[Math.floor(rand() * vs.length)]!);
      }
      case 'any':
        return pick(anySet(effective(flags, node.inline, 's')), rand);
      case 'escape-class':
        return pick(escapeClassSet(node.name, node.negated), rand);
      case 'class':
        return pick(classSet(node, effective(flags, node.inline, 'i')), rand);
      default:
        return '';
    }
  };
  return walk(ast);
}

export function noise(rand: () => number, max = 6): string {
  let out = '';
  const n = Math.floor(rand() * (max + 1));
  for (let k = 0; k < n; k++) out += NOISE[Math.floor(rand() * NOISE.length)]!;
  return out;
}

/** Strings for one regex: samples, samples with noise around or inside, and pure noise. */
export function testStrings(ast: RegexNode, flags: BaseFlags, seed: number, count = 120): string[] {
  const rand = rng(seed);
  const out = new Set<string>(['']);
  while (out.size < count) {
    const r = rand();
    const s = sample(ast, flags, rand);
    if (r < 0.3) out.add(s);
    else if (r < 0.6) out.add(noise(rand, 3) + s + noise(rand, 3));
    else if (r < 0.8) {
      const cut = Math.floor(rand() * (s.length + 1));
      out.add(s.slice(0, cut) + noise(rand, 2) + s.slice(cut));
    } else out.add(noise(rand, 10));
  }
  return [...out];
}
