/**
 * YAML text → located value trees, one per document. This is the only module that touches the `yaml`
 * package. Every node keeps its source offset so later stages can point diagnostics at the rule text.
 * YAML 1.1 is used, as PyYAML (and so pySigma and sigmac) read rules that way: `yes`/`no` are booleans.
 */
import { parseAllDocuments, isMap, isSeq, isScalar, isAlias, Scalar, type Node } from 'yaml';

export type ScalarValue = string | number | boolean | null;

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  readonly offset: number;
  /** True when written with quotes; such a value is always a string. */
  readonly quoted: boolean;
}

export interface YamlMapEntry {
  readonly key: string;
  /** Offset of the key's first character (after its opening quote, when quoted). */
  readonly keyOffset: number;
  readonly value: YamlNode;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly entries: readonly YamlMapEntry[];
  readonly offset: number;
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly offset: number;
}

export interface YamlProblem {
  readonly code: 'YAML_SYNTAX' | 'YAML_UNSUPPORTED' | 'YAML_DUPLICATE_KEY';
  readonly message: string;
  readonly offset: number;
  /** Warnings do not stop a rule: PyYAML (and so sigmac and pySigma) accept what they describe. */
  readonly severity: 'error' | 'warning';
}

export interface YamlDocuments {
  /** One entry per document; `null` for an empty document (`---` with nothing after it). */
  readonly documents: readonly (YamlNode | null)[];
  /** Offset at which each document starts, for diagnostics about a whole document. */
  readonly documentOffsets: readonly number[];
  readonly problems: readonly YamlProblem[];
}

export function parseYamlDocuments(text: string): YamlDocuments {
  const documents: (YamlNode | null)[] = [];
  const documentOffsets: number[] = [];
  const problems: YamlProblem[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.1', uniqueKeys: false, prettyErrors: false })) {
    const docOffset = doc.range?.[0] ?? 0;
    documentOffsets.push(docOffset);
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ code: 'YAML_SYNTAX', message: firstLine(e.message), offset: e.pos[0], severity: 'error' });
      documents.push(null);
      continue;
    }
    documents.push(doc.contents ? convert(doc.contents as Node, problems, docOffset, text) : null);
  }
  return { documents, documentOffsets, problems };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function convert(node: Node, problems: YamlProblem[], fallbackOffset: number, text: string): YamlNode {
  const offset = node.range?.[0] ?? fallbackOffset;
  if (isAlias(node)) {
    problems.push({ code: 'YAML_UNSUPPORTED', message: 'YAML aliases are not supported in rules', offset, severity: 'error' });
    return { kind: 'scalar', value: null, offset, quoted: false };
  }
  if (isScalar(node)) {
    const quoted = node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE;
    let value = toScalarValue(node.value);
    if (typeof value === 'number' && !quoted && node.range) {
      // PyYAML's YAML 1.1 reads a leading-zero number with an 8 or 9 (`00000429`) as a string: it is
      // neither decimal nor octal there. The yaml package reads it as decimal; follow PyYAML.
      const raw = text.slice(node.range[0], node.range[1]);
      if (/^[-+]?0[0-9_]*[89][0-9_]*$/.test(raw)) value = raw;
    }
    if (typeof value === 'boolean' && !quoted && node.range && /^[yYnN]$/.test(text.slice(node.range[0], node.range[1]))) {
      // The yaml package's 1.1 schema reads y/n as booleans; PyYAML keeps them as strings.
      value = text.slice(node.range[0], node.range[1]);
    }
    return { kind: 'scalar', value, offset, quoted };
  }
  if (isMap(node)) {
    const entries: YamlMapEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyQuoted = isScalar(keyNode) && (keyNode.type === Scalar.QUOTE_SINGLE || keyNode.type === Scalar.QUOTE_DOUBLE);
      const keyOffset = (keyNode?.range?.[0] ?? offset) + (keyQuoted ? 1 : 0);
      // Keys are names: a plain key is taken as written (`Y:` is the field Y, not the boolean true).
      const key = !isScalar(keyNode)
        ? ''
        : keyNode.type === Scalar.PLAIN && keyNode.range
          ? text.slice(keyNode.range[0], keyNode.range[1])
          : String(keyNode.value ?? '');
      if (!isScalar(keyNode)) problems.push({ code: 'YAML_UNSUPPORTED', message: 'map keys must be plain scalars', offset: keyOffset, severity: 'error' });
      const valueNode = pair.value as Node | null;
      const value: YamlNode = valueNode
        ? convert(valueNode, problems, keyOffset, text)
        : { kind: 'scalar', value: null, offset: keyOffset, quoted: false };
      const previous = entries.findIndex((e) => e.key === key);
      if (previous >= 0) {
        // PyYAML keeps the last of duplicate keys; so do we, and say so.
        problems.push({ code: 'YAML_DUPLICATE_KEY', message: `duplicate key "${key}": the last one is used`, offset: keyOffset, severity: 'warning' });
        entries.splice(previous, 1);
      }
      entries.push({ key, keyOffset, value });
    }
    return { kind: 'map', entries, offset };
  }
  if (isSeq(node)) {
    return { kind: 'seq', items: node.items.map((item) => convert(item as Node, problems, offset, text)), offset };
  }
  problems.push({ code: 'YAML_UNSUPPORTED', message: 'unsupported YAML node', offset, severity: 'error' });
  return { kind: 'scalar', value: null, offset, quoted: false };
}

function toScalarValue(v: unknown): ScalarValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10); // YAML 1.1 timestamps, e.g. `date: 2020-01-01`
  return String(v);
}

/** Plain JavaScript data of a node, as PyYAML's safe_load would give (maps keep key order). */
export function toPlain(node: YamlNode | null): unknown {
  if (node === null) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) out[e.key] = toPlain(e.value);
      return out;
    }
  }
}

export function mapGet(node: YamlMap, key: string): YamlMapEntry | undefined {
  return node.entries.find((e) => e.key === key);
}

/**
 * Deep merge used by Sigma v1 collection actions (`action: global`/`repeat`): maps merge key by key,
 * anything else in `over` replaces `base`.
 */
export function deepMerge(base: YamlNode, over: YamlNode): YamlNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries: YamlMapEntry[] = base.entries.map((e) => {
    const o = mapGet(over, e.key);
    return o ? { key: e.key, keyOffset: o.keyOffset, value: deepMerge(e.value, o.value) } : e;
  });
  for (const o of over.entries) if (!mapGet(base, o.key)) entries.push(o);
  return { kind: 'map', entries, offset: over.offset };
}
