/**
 * Placeholder values for `|expand`, from a YAML (or JSON) map: `Servers: [srv1, 'srv*']` or
 * `Admins: admin`. Names are written without `%`. Values are Sigma strings (wildcards allowed).
 */
import { LineIndex, error, warning, type Diagnostic } from '../util/diagnostics';
import { parseYamlDocuments } from './yaml-tree';

export function parsePlaceholderFile(file: string, text: string): { values: Map<string, string[]>; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(file, text);
  const diagnostics: Diagnostic[] = [];
  const values = new Map<string, string[]>();
  const parsed = parseYamlDocuments(text);
  for (const p of parsed.problems) diagnostics.push((p.severity === 'error' ? error : warning)(p.code, p.message, lines.position(p.offset)));
  const root = parsed.documents[0];
  if (!root) return { values, diagnostics };
  if (root.kind !== 'map') {
    diagnostics.push(error('PLACEHOLDER_FILE', 'a placeholder file must be a map of name to values', lines.position(root.offset)));
    return { values, diagnostics };
  }
  for (const e of root.entries) {
    const items = e.value.kind === 'seq' ? e.value.items : [e.value];
    const list: string[] = [];
    for (const item of items) {
      if (item.kind !== 'scalar' || item.value === null) {
        diagnostics.push(error('PLACEHOLDER_FILE', `values of "${e.key}" must be plain strings`, lines.position(item.offset)));
        continue;
      }
      list.push(String(item.value));
    }
    values.set(e.key.replace(/^%|%$/g, ''), list);
  }
  return { values, diagnostics };
}
