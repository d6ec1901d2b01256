/** A user's logsource mapping file (`--mapping FILE`), YAML or JSON of the bundled mapping's shape. */
import { LineIndex, error, type Diagnostic } from '../util/diagnostics';
import { parseYamlDocuments, toPlain } from '../rule/yaml-tree';
import { validateMapping, type LogsourceMapping } from './mapping';

export function parseMappingFile(file: string, text: string): { mapping?: LogsourceMapping; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(file, text);
  const parsed = parseYamlDocuments(text);
  const diagnostics: Diagnostic[] = parsed.problems.filter((p) => p.severity === 'error').map((p) => error(p.code, p.message, lines.position(p.offset)));
  if (diagnostics.length > 0) return { diagnostics };
  const root = parsed.documents[0] ?? null;
  const checked = validateMapping(toPlain(root));
  for (const problem of checked.problems) diagnostics.push(error('MAPPING_INVALID', problem, lines.position(root?.offset ?? 0)));
  return checked.mapping && diagnostics.length === 0 ? { mapping: checked.mapping, diagnostics } : { diagnostics };
}
