/**
 * Rule file text → rule and correlation documents. Validates the shape of each document (required keys,
 * types) and applies Sigma v1 collection actions. Pure: the caller reads files. A bad document yields
 * diagnostics and is skipped; the other documents of the file still load.
 */
import { LineIndex, error, warning, type Diagnostic } from '../util/diagnostics';
import {
  parseYamlDocuments,
  deepMerge,
  mapGet,
  type YamlMap,
  type YamlNode,
} from './yaml-tree';
import type {
  CorrelationCondition,
  CorrelationType,
  Logsource,
  SigmaCorrelation,
  SigmaDocument,
  SigmaRule,
} from './types';

export interface LoadedRuleFile {
  readonly file: string;
  readonly documents: readonly SigmaDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

const MAX_TITLE_LENGTH = 256;
const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
  'value_median',
];
const TIMESPAN_UNITS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  M: 2629746,
  y: 31556952,
};

export function loadRuleText(file: string, text: string): LoadedRuleFile {
  const lines = new LineIndex(file, text);
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => lines.position(offset);
  const parsed = parseYamlDocuments(text);
  for (const p of parsed.problems) diagnostics.push((p.severity === 'error' ? error : warning)(p.code, p.message, at(p.offset)));

  const documents: SigmaDocument[] = [];
  let globalPart: YamlNode | null = null;
  let previous: YamlMap | null = null;

  parsed.documents.forEach((node, index) => {
    const docOffset = parsed.documentOffsets[index] ?? 0;
    if (node === null) return; // empty document, or a YAML error already reported
    if (node.kind !== 'map') {
      diagnostics.push(error('RULE_NOT_A_MAP', 'a rule document must be a YAML map', at(node.offset)));
      return;
    }
    const action = scalarString(mapGet(node, 'action')?.value);
    let doc: YamlMap = node;
    if (action !== undefined) {
      const withoutAction = dropKey(node, 'action');
      if (action === 'global') {
        globalPart = globalPart ? deepMerge(globalPart, withoutAction) : withoutAction;
        return;
      }
      if (action === 'reset') {
        globalPart = null;
        return;
      }
      if (action === 'repeat') {
        if (!previous) {
          diagnostics.push(error('RULE_ACTION', '`action: repeat` has no previous document to repeat', at(node.offset)));
          return;
        }
        doc = deepMerge(previous, withoutAction) as YamlMap;
      } else {
        const entry = mapGet(node, 'action');
        diagnostics.push(error('RULE_ACTION', `unknown collection action "${action}"`, at(entry?.value.offset ?? node.offset)));
        return;
      }
    } else if (globalPart) {
      doc = deepMerge(globalPart, node) as YamlMap;
    }
    previous = doc;
    const result = mapGet(doc, 'correlation')
      ? buildCorrelation(file, index, docOffset, doc, at)
      : buildRule(file, index, docOffset, doc, at);
    diagnostics.push(...result.diagnostics);
    if (result.document) documents.push(result.document);
  });
  return { file, documents, diagnostics };
}

type At = (offset: number) => ReturnType<LineIndex['position']>;

interface Built<T> {
  readonly document?: T;
  readonly diagnostics: Diagnostic[];
}

function buildRule(file: string, documentIndex: number, offset: number, doc: YamlMap, at: At): Built<SigmaRule> {
  const diagnostics: Diagnostic[] = [];
  const title = requireString(doc, 'title', diagnostics, at);
  const titleText = title ?? '(untitled)';
  if (title !== undefined && title.length > MAX_TITLE_LENGTH) {
    diagnostics.push(error('RULE_FIELD_TYPE', `title is longer than ${MAX_TITLE_LENGTH} characters`, at(mapGet(doc, 'title')!.value.offset), titleText));
  }
  const logsourceEntry = mapGet(doc, 'logsource');
  let logsource: Logsource = {};
  if (!logsourceEntry) {
    diagnostics.push(error('RULE_MISSING_KEY', 'required key "logsource" is missing', at(doc.offset), titleText));
  } else if (logsourceEntry.value.kind !== 'map') {
    diagnostics.push(error('RULE_FIELD_TYPE', '"logsource" must be a map', at(logsourceEntry.value.offset), titleText));
  } else {
    const ls: Record<string, string> = {};
    for (const e of logsourceEntry.value.entries) {
      if (!['category', 'product', 'service', 'definition'].includes(e.key)) continue;
      const v = scalarString(e.value);
      if (v === undefined) diagnostics.push(error('RULE_FIELD_TYPE', `logsource "${e.key}" must be a string`, at(e.value.offset), titleText));
      else ls[e.key] = v;
    }
    logsource = ls;
  }
  const detectionEntry = mapGet(doc, 'detection');
  let detection: YamlMap | undefined;
  if (!detectionEntry) {
    diagnostics.push(error('RULE_MISSING_KEY', 'required key "detection" is missing', at(doc.offset), titleText));
  } else if (detectionEntry.value.kind !== 'map') {
    diagnostics.push(error('RULE_FIELD_TYPE', '"detection" must be a map', at(detectionEntry.value.offset), titleText));
  } else {
    detection = detectionEntry.value;
    if (!mapGet(detection, 'condition')) {
      diagnostics.push(error('RULE_MISSING_KEY', 'required key "condition" is missing from "detection"', at(detectionEntry.keyOffset), titleText));
    }
  }
  const tags = optionalStringList(doc, 'tags', diagnostics, at, titleText);
  const falsepositives = optionalStringList(doc, 'falsepositives', diagnostics, at, titleText);
  const optional: Record<string, string> = {};
  for (const key of ['id', 'name', 'status', 'level', 'description', 'author'] as const) {
    const e = mapGet(doc, key);
    if (!e || (e.value.kind === 'scalar' && e.value.value === null)) continue;
    const v = scalarString(e.value);
    if (v === undefined) diagnostics.push(error('RULE_FIELD_TYPE', `"${key}" must be a string`, at(e.value.offset), titleText));
    else optional[key] = v;
  }
  if (diagnostics.length > 0 || title === undefined || detection === undefined) return { diagnostics };
  const rule: SigmaRule = {
    kind: 'rule',
    file,
    documentIndex,
    offset,
    title,
    ...optional,
    tags,
    falsepositives,
    logsource,
    detection,
    raw: doc,
  };
  return { document: rule, diagnostics };
}

function buildCorrelation(file: string, documentIndex: number, offset: number, doc: YamlMap, at: At): Built<SigmaCorrelation> {
  const diagnostics: Diagnostic[] = [];
  const title = requireString(doc, 'title', diagnostics, at) ?? '(untitled)';
  const fail = (code: string, message: string, node: { offset: number }) => {
    diagnostics.push(error(code, message, at(node.offset), title));
    return { diagnostics };
  };
  const corrEntry = mapGet(doc, 'correlation')!;
  const corr = corrEntry.value;
  if (corr.kind !== 'map') return fail('CORRELATION_INVALID', '"correlation" must be a map', corr);
  const typeEntry = mapGet(corr, 'type');
  const type = scalarString(typeEntry?.value) as CorrelationType | undefined;
  if (!type || !CORRELATION_TYPES.includes(type)) {
    return fail('CORRELATION_INVALID', `correlation type must be one of ${CORRELATION_TYPES.join(', ')}`, typeEntry?.value ?? corr);
  }
  const rulesNode = mapGet(corr, 'rules')?.value;
  const rules = rulesNode ? stringList(rulesNode) : undefined;
  if (!rules || rules.length === 0) return fail('CORRELATION_INVALID', '"rules" must name at least one rule', rulesNode ?? corr);
  const groupNode = mapGet(corr, 'group-by')?.value;
  const groupBy = groupNode ? stringList(groupNode) : [];
  if (groupBy === undefined) return fail('CORRELATION_INVALID', '"group-by" must be a list of field names', groupNode ?? corr);
  const spanNode = mapGet(corr, 'timespan')?.value;
  const spanSpec = scalarString(spanNode);
  const spanMatch = spanSpec ? /^(\d+)([smhdwMy])$/.exec(spanSpec) : null;
  if (!spanSpec || !spanMatch) return fail('CORRELATION_TIMESPAN', `timespan "${spanSpec ?? ''}" is invalid; use a number and one of s m h d w M y`, spanNode ?? corr);
  const timespanSeconds = Number(spanMatch[1]) * (TIMESPAN_UNITS[spanMatch[2] ?? 's'] ?? 1);

  const condNode = mapGet(corr, 'condition')?.value;
  let condition: CorrelationCondition | { extendedExpression: string };
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (!condNode) {
    if (!temporal) return fail('CORRELATION_CONDITION', `a ${type} correlation needs a condition`, corr);
    condition = { op: 'gte', count: rules.length };
  } else if (condNode.kind === 'scalar' && typeof condNode.value === 'string') {
    if (!temporal) return fail('CORRELATION_CONDITION', 'only temporal correlations take a condition expression', condNode);
    condition = { extendedExpression: condNode.value };
  } else if (condNode.kind === 'map') {
    const ops = condNode.entries.filter((e) => ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(e.key));
    if (ops.length !== 1) return fail('CORRELATION_CONDITION', 'a correlation condition must have exactly one of gt, gte, lt, lte, eq, neq', condNode);
    const op = ops[0]!;
    const count = op.value.kind === 'scalar' ? op.value.value : null;
    if (typeof count !== 'number') return fail('CORRELATION_CONDITION', `"${op.key}" must be a number`, op.value);
    const field = scalarString(mapGet(condNode, 'field')?.value);
    const pct = mapGet(condNode, 'percentile')?.value;
    const percentile = pct?.kind === 'scalar' && typeof pct.value === 'number' ? pct.value : undefined;
    if (type.startsWith('value_') && field === undefined) {
      return fail('CORRELATION_CONDITION', `a ${type} correlation needs "field" in its condition`, condNode);
    }
    condition = {
      op: op.key as CorrelationCondition['op'],
      count,
      ...(field !== undefined ? { field } : {}),
      ...(percentile !== undefined ? { percentile } : {}),
    };
  } else {
    return fail('CORRELATION_CONDITION', 'the correlation condition must be a map or an expression string', condNode);
  }

  const aliases: Record<string, Record<string, string>> = {};
  const aliasNode = mapGet(corr, 'aliases')?.value;
  if (aliasNode) {
    if (aliasNode.kind !== 'map') return fail('CORRELATION_INVALID', '"aliases" must be a map', aliasNode);
    for (const a of aliasNode.entries) {
      if (a.value.kind !== 'map') return fail('CORRELATION_INVALID', `alias "${a.key}" must map rule names to fields`, a.value);
      const m: Record<string, string> = {};
      for (const r of a.value.entries) m[r.key] = scalarString(r.value) ?? '';
      aliases[a.key] = m;
    }
  }
  const generateNode = mapGet(corr, 'generate')?.value;
  const generate = generateNode?.kind === 'scalar' && generateNode.value === true;
  const id = scalarString(mapGet(doc, 'id')?.value);
  const name = scalarString(mapGet(doc, 'name')?.value);
  const level = scalarString(mapGet(doc, 'level')?.value);
  const document: SigmaCorrelation = {
    kind: 'correlation',
    file,
    documentIndex,
    offset,
    title,
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(level !== undefined ? { level } : {}),
    type,
    rules,
    groupBy,
    timespanSeconds,
    timespanSpec: spanSpec,
    condition,
    aliases,
    generate,
    raw: doc,
  };
  return { document, diagnostics };
}

function scalarString(node: YamlNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') return undefined;
  return String(node.value);
}

function stringList(node: YamlNode): string[] | undefined {
  if (node.kind === 'scalar') {
    const s = scalarString(node);
    return s === undefined ? undefined : [s];
  }
  if (node.kind !== 'seq') return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    const s = scalarString(item);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

function requireString(doc: YamlMap, key: string, diagnostics: Diagnostic[], at: At): string | undefined {
  const e = mapGet(doc, key);
  if (!e) {
    diagnostics.push(error('RULE_MISSING_KEY', `required key "${key}" is missing`, at(doc.offset)));
    return undefined;
  }
  const v = e.value.kind === 'scalar' && typeof e.value.value === 'string' ? e.value.value : undefined;
  if (v === undefined || v.trim() === '') {
    diagnostics.push(error('RULE_FIELD_TYPE', `"${key}" must be a non-empty string`, at(e.value.offset)));
    return undefined;
  }
  return v;
}

function optionalStringList(doc: YamlMap, key: string, diagnostics: Diagnostic[], at: At, rule: string): string[] {
  const e = mapGet(doc, key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return [];
  const list = stringList(e.value);
  if (list === undefined) {
    diagnostics.push(error('RULE_FIELD_TYPE', `"${key}" must be a list of strings`, at(e.value.offset), rule));
    return [];
  }
  return list;
}

function dropKey(map: YamlMap, key: string): YamlMap {
  return { ...map, entries: map.entries.filter((e) => e.key !== key) };
}
