/**
 * `--dialect sigmac`: a byte-identical emulation of the legacy Python sigmac (legacy-sigmatools 1a0f514)
 * for its grep, es-qs, graylog, splunk and logpoint backends, bugs included. It is NOT built on the
 * shared IR: sigmac's output depends on its own parse tree, tokenizer and optimizer, so those are
 * modelled here (parse-rule.ts, optimize.ts) and rendered by one generic renderer with a small dialect
 * per backend (render-core.ts, dialects.ts). Pure: takes a loaded rule, returns text and diagnostics.
 */
import type { SigmaRule } from '../../rule/types';
import { mapGet } from '../../rule/yaml-tree';
import { LineIndex, error, type Diagnostic } from '../../util/diagnostics';
import { EMPTY_CONFIG, LOGPOINT_CONFIG, type LegacyConfig, type RuleLogsource } from './config';
import { ES_QS, GRAYLOG, GREP, LOGPOINT, SPLUNK } from './dialects';
import { parseRule } from './parse-rule';
import { Renderer, type Dialect } from './render-core';
import { SigmacError } from './sigmac-error';

export type SigmacBackend = 'grep' | 'es-qs' | 'splunk' | 'graylog' | 'logpoint';

export const SIGMAC_BACKENDS: readonly SigmacBackend[] = ['grep', 'es-qs', 'splunk', 'graylog', 'logpoint'];

export interface SigmacResult {
  /** Exactly what sigmac prints for this document, trailing newline included; absent when it refuses it. */
  readonly output?: string;
  readonly diagnostics: Diagnostic[];
}

const BACKENDS: Readonly<Record<SigmacBackend, { readonly dialect: Dialect; readonly config: LegacyConfig }>> = {
  grep: { dialect: GREP, config: EMPTY_CONFIG },
  'es-qs': { dialect: ES_QS, config: EMPTY_CONFIG },
  graylog: { dialect: GRAYLOG, config: EMPTY_CONFIG },
  splunk: { dialect: SPLUNK, config: EMPTY_CONFIG },
  logpoint: { dialect: LOGPOINT, config: LOGPOINT_CONFIG },
};

/**
 * Converts one rule document like `sigmac -t <backend>`. sigmac's exceptions become one error
 * diagnostic `SIGMAC_UNSUPPORTED` whose message is `<PythonClass>: <message>`. Pass the file text to get
 * line/column positions on diagnostics (offsets alone cannot be turned into a position).
 */
export function convertSigmac(rule: SigmaRule, backend: SigmacBackend, sourceText?: string): SigmacResult {
  const { dialect, config } = BACKENDS[backend];
  try {
    const parsed = parseRule(rule.detection, logsourceOf(rule), config);
    const renderer = new Renderer(dialect, { matchKeyword: true });
    let text = renderer.generate(parsed.conditions);
    if (text !== null && backend === 'splunk') text += splunkFieldsTable(rule, config, parsed.values);
    return { output: text ? text + '\n' : '', diagnostics: [] };
  } catch (e) {
    if (!(e instanceof SigmacError)) throw e;
    const position = sourceText !== undefined ? new LineIndex(rule.file, sourceText).position(e.offset ?? rule.detection.offset) : undefined;
    return { diagnostics: [error('SIGMAC_UNSUPPORTED', `sigmac -t ${backend} refuses this rule: ${e.pyClass}: ${e.pyMessage}`, position, rule.title)] };
  }
}

function logsourceOf(rule: SigmaRule): RuleLogsource {
  const ls = mapGet(rule.raw, 'logsource')?.value;
  const get = (key: string): string | null => {
    if (ls?.kind !== 'map') return null;
    const v = mapGet(ls, key)?.value;
    return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : null;
  };
  return { category: get('category'), product: get('product'), service: get('service') };
}

/** SplunkBackend.generate appends ` | table a,b` when the rule lists `fields`. */
function splunkFieldsTable(rule: SigmaRule, config: LegacyConfig, values: Parameters<LegacyConfig['resolveFieldname']>[1]): string {
  const fields = mapGet(rule.raw, 'fields')?.value;
  if (!fields) return '';
  if (fields.kind !== 'seq') throw new SigmacError('TypeError', `'${fields.kind}' object is not iterable`, fields.offset);
  const columns: string[] = [];
  for (const f of fields.items) {
    const name = f.kind === 'scalar' ? String(f.value) : '';
    const mapped = config.resolveFieldname(name, values);
    if (typeof mapped === 'string') columns.push(mapped);
    else if (Array.isArray(mapped)) columns.push(...(mapped as string[]));
    else throw new SigmacError('TypeError', 'Field mapping must return string or list', f.offset);
  }
  return fields.items.length > 0 ? ' | table ' + columns.join(',') : '';
}
