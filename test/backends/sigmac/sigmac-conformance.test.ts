/**
 * Conformance of the sigmac dialect against legacy sigmac's recorded outputs
 * (shared/conformance/sigmac/expected.jsonl: one record per rule and backend). Every record must match
 * byte for byte, except the explicit list of known differences below, which is asserted as an exact
 * set: fixing one of them or breaking another record both fail.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { loadRuleText } from '../../../src/rule/load-rules';
import { convertSigmac, SIGMAC_BACKENDS, type SigmacBackend } from '../../../src/backends/sigmac';

const SHARED = path.resolve(__dirname, '../../../..', '../shared');
const BASE = path.join(SHARED, 'conformance/sigmac');
const EXPECTED = path.join(BASE, 'expected.jsonl');

interface ExpectedRecord {
  readonly rule: string;
  readonly backend: SigmacBackend;
  readonly output?: string;
  readonly error?: string;
}

/** Records we do not reproduce, per backend, with the reason. Keys are rule paths. None are left. */
const KNOWN_DIFFERENCES: Readonly<Record<SigmacBackend, readonly string[]>> = {
  grep: [],
  'es-qs': [],
  splunk: [],
  graylog: [],
  logpoint: [],
};

const available = fs.existsSync(EXPECTED);
const records: ExpectedRecord[] = available
  ? fs
      .readFileSync(EXPECTED, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ExpectedRecord)
  : [];

const loaded = new Map<string, { text: string; result: ReturnType<typeof loadRuleText> }>();
function load(rule: string) {
  let entry = loaded.get(rule);
  if (!entry) {
    const text = fs.readFileSync(path.join(BASE, rule), 'utf8');
    entry = { text, result: loadRuleText(rule, text) };
    loaded.set(rule, entry);
  }
  return entry;
}

function check(r: ExpectedRecord): string | null {
  const { text, result } = load(r.rule);
  let output = '';
  const diagnostics = [...result.diagnostics];
  for (const doc of result.documents) {
    if (doc.kind !== 'rule') continue;
    const res = convertSigmac(doc, r.backend, text);
    output += res.output ?? '';
    diagnostics.push(...res.diagnostics);
  }
  if (r.error !== undefined) {
    const refused = diagnostics.some((d) => d.code === 'SIGMAC_UNSUPPORTED' && d.message.includes(r.error!));
    return refused && output === '' ? null : `expected refusal "${r.error}", got ${JSON.stringify(output)} ${diagnostics.map((d) => d.message).join('; ')}`;
  }
  if (diagnostics.length > 0) return `unexpected diagnostics: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`;
  return output === r.output ? null : `expected ${JSON.stringify(r.output)}\n   got ${JSON.stringify(output)}`;
}

for (const backend of SIGMAC_BACKENDS) {
  if (!available) {
    test.skip(`sigmac conformance (${backend}): skipped because ${EXPECTED} is absent`, () => {});
    continue;
  }
  test(`sigmac conformance: ${backend} matches legacy sigmac byte for byte`, (t) => {
    const mine = records.filter((r) => r.backend === backend);
    const failures = new Map<string, string>();
    for (const r of mine) {
      const why = check(r);
      if (why !== null) failures.set(r.rule, why);
    }
    t.log(`${backend}: ${mine.length - failures.size}/${mine.length} records identical (${failures.size} known differences)`);
    const unexpected = [...failures].filter(([rule]) => !KNOWN_DIFFERENCES[backend].includes(rule));
    for (const [rule, why] of unexpected.slice(0, 10)) t.log(`${rule}: ${why}`);
    t.true(mine.length > 0);
    t.deepEqual([...failures.keys()].sort(), [...KNOWN_DIFFERENCES[backend]].sort());
  });
}
