/**
 * Logsource resolution over the bundled Windows mapping and small hand-made mappings. Gates are checked by
 * what they accept (evaluated with the reference evaluator on events), not by their shape.
 */
import test from 'ava';
import { WINDOWS_MAPPING, renameFields, resolveLogsource, validateMapping, type LogsourceMapping } from '../../src/logsource/mapping';
import { evaluate } from '../../src/reference/evaluate';
import type { IrNode } from '../../src/ir/types';

const accepts = (gate: IrNode, event: Record<string, unknown>) => evaluate(gate, { kind: 'json', event });
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

test('process_creation has two branches: Sysmon EventID 1, and Security 4688 with Image → NewProcessName', (t) => {
  const r = resolveLogsource({ category: 'process_creation', product: 'windows' }, WINDOWS_MAPPING);
  if (r.kind !== 'mapped') return t.fail('not mapped');
  t.is(r.branches.length, 2);
  const sysmon = r.branches.find((b) => accepts(b.gate, { Channel: SYSMON, EventID: 1 }));
  const security = r.branches.find((b) => accepts(b.gate, { Channel: 'Security', EventID: 4688 }));
  if (!sysmon || !security || sysmon === security) return t.fail('branches not found');
  t.false(accepts(sysmon.gate, { Channel: SYSMON, EventID: 3 }));
  t.false(accepts(sysmon.gate, { Channel: 'Security', EventID: 1 }));
  t.false(accepts(security.gate, { Channel: 'Security', EventID: 4624 }));
  t.false(accepts(security.gate, { EventID: 4688 }), 'no channel, no match');
  t.deepEqual(sysmon.rename, {});
  t.is(security.rename['Image'], 'NewProcessName');
  t.is(security.rename['ParentImage'], 'ParentProcessName');
});

test('channel names and logsource values compare case-insensitively', (t) => {
  const r = resolveLogsource({ category: 'Process_Creation', product: 'Windows' }, WINDOWS_MAPPING);
  if (r.kind !== 'mapped') return t.fail('not mapped');
  t.true(r.branches.some((b) => accepts(b.gate, { Channel: 'security', EventID: 4688 })));
  t.true(r.branches.some((b) => accepts(b.gate, { Channel: SYSMON.toUpperCase(), EventID: '1' })));
});

test('a category without product still uses the category entries', (t) => {
  const r = resolveLogsource({ category: 'process_creation' }, WINDOWS_MAPPING);
  t.is(r.kind, 'mapped');
});

test('a category entry of another product is not used', (t) => {
  const r = resolveLogsource({ category: 'process_creation', product: 'linux' }, WINDOWS_MAPPING);
  t.is(r.kind, 'unmapped');
});

test('service only: the gate is the channel list of the service', (t) => {
  const r = resolveLogsource({ product: 'windows', service: 'powershell' }, WINDOWS_MAPPING);
  if (r.kind !== 'mapped') return t.fail('not mapped');
  t.is(r.branches.length, 1);
  const gate = r.branches[0]!.gate;
  t.true(accepts(gate, { Channel: 'Microsoft-Windows-PowerShell/Operational' }));
  t.true(accepts(gate, { Channel: 'PowerShellCore/Operational' }));
  t.false(accepts(gate, { Channel: 'Windows PowerShell' }));
  t.false(accepts(gate, { Channel: 'Microsoft-Windows-PowerShell/Operational/x' }));
});

test('product windows alone stands for any Windows event (a Channel field present)', (t) => {
  const r = resolveLogsource({ product: 'windows' }, WINDOWS_MAPPING);
  if (r.kind !== 'mapped') return t.fail('not mapped');
  t.is(r.branches.length, 1);
  t.true(accepts(r.branches[0]!.gate, { Channel: 'Anything' }));
  t.false(accepts(r.branches[0]!.gate, { EventID: 1 }));
});

test('windows with an unknown category or service: unmapped, but only on Windows events', (t) => {
  for (const ls of [{ product: 'windows', category: 'no_such_category' }, { product: 'windows', service: 'no-such-service' }]) {
    const r = resolveLogsource(ls, WINDOWS_MAPPING);
    if (r.kind !== 'unmapped') return t.fail(JSON.stringify(ls));
    t.true(accepts(r.gate, { Channel: 'Security' }));
    t.false(accepts(r.gate, { message: 'x' }));
  }
});

test('an unmapped product runs only on events of no known product (no Channel field)', (t) => {
  for (const ls of [{ product: 'linux', service: 'auditd' }, { category: 'webserver' }, {}]) {
    const r = resolveLogsource(ls, WINDOWS_MAPPING);
    if (r.kind !== 'unmapped') return t.fail(JSON.stringify(ls));
    t.false(accepts(r.gate, { Channel: 'Security', msg: 'x' }), JSON.stringify(ls));
    t.true(accepts(r.gate, { msg: 'x' }), JSON.stringify(ls));
    t.regex(r.description, /Channel/);
  }
});

test('with no products in the mapping, an unmapped rule runs on every event', (t) => {
  const r = resolveLogsource({ product: 'linux' }, { services: {}, categories: [] });
  if (r.kind !== 'unmapped') return t.fail('mapped');
  t.true(accepts(r.gate, { Channel: 'Security' }));
  t.is(r.description, 'every event');
});

test('a category whose service has no channels is gated by its conditions alone', (t) => {
  const mapping: LogsourceMapping = { services: {}, categories: [{ category: 'c', service: 'nowhere', conditions: { EventID: [5, '6'] } }] };
  const r = resolveLogsource({ category: 'c' }, mapping);
  if (r.kind !== 'mapped') return t.fail('not mapped');
  t.true(accepts(r.branches[0]!.gate, { EventID: 5 }));
  t.true(accepts(r.branches[0]!.gate, { EventID: 6 }));
  t.false(accepts(r.branches[0]!.gate, { EventID: 7 }));
});

test('renameFields renames test fields and fieldref targets, keeps keywords and other names', (t) => {
  const tree: IrNode = {
    kind: 'and',
    args: [
      { kind: 'test', field: 'Image', test: { kind: 'string', pattern: ['x'], cased: false }, offset: 1 },
      { kind: 'not', arg: { kind: 'test', field: 'User', test: { kind: 'fieldref', field: 'ParentImage', startswith: false, endswith: false }, offset: 2 } },
      { kind: 'test', field: null, test: { kind: 'string', pattern: ['Image'], cased: false }, offset: 3 },
    ],
  };
  const renamed = renameFields(tree, { Image: 'NewProcessName', ParentImage: 'ParentProcessName' });
  t.deepEqual(renamed, {
    kind: 'and',
    args: [
      { kind: 'test', field: 'NewProcessName', test: { kind: 'string', pattern: ['x'], cased: false }, offset: 1 },
      { kind: 'not', arg: { kind: 'test', field: 'User', test: { kind: 'fieldref', field: 'ParentProcessName', startswith: false, endswith: false }, offset: 2 } },
      { kind: 'test', field: null, test: { kind: 'string', pattern: ['Image'], cased: false }, offset: 3 },
    ],
  });
  t.is(renameFields(tree, {}), tree);
});

test('validateMapping accepts the bundled mapping and a minimal one', (t) => {
  t.deepEqual(validateMapping(WINDOWS_MAPPING).problems, []);
  const r = validateMapping({ services: { s: ['C'] }, categories: [{ category: 'c', service: 's' }] });
  t.deepEqual(r.problems, []);
  t.deepEqual(r.mapping?.categories, [{ category: 'c', service: 's', conditions: {} }]);
  t.deepEqual(validateMapping({}).problems, []);
});

test('validateMapping reports each shape error', (t) => {
  const problems = (d: unknown) => validateMapping(d).problems;
  t.is(problems(null).length, 1);
  t.is(problems('x').length, 1);
  t.regex(problems({ services: [] })[0]!, /"services"/);
  t.regex(problems({ services: { s: 'C' } })[0]!, /service "s"/);
  t.regex(problems({ services: { s: [1] } })[0]!, /service "s"/);
  t.regex(problems({ categories: {} })[0]!, /"categories"/);
  t.regex(problems({ categories: [{ category: 'c' }] })[0]!, /categories\[0\]/);
  t.regex(problems({ categories: [null] })[0]!, /categories\[0\]/);
  t.regex(problems({ categories: [{ category: 'c', service: 's', conditions: 'x' }] })[0]!, /conditions/);
  t.regex(problems({ products: { windows: {} } })[0]!, /product "windows"/);
  t.regex(problems({ products: [] })[0]!, /"products"/);
  t.is(validateMapping({ services: [] }).mapping, undefined);
});

test('validateMapping refuses a condition that is not a list of values (it would crash resolution)', (t) => {
  const data = { services: {}, categories: [{ category: 'c', service: 's', conditions: { EventID: 1 } }] };
  const r = validateMapping(data);
  t.true(r.problems.some((p) => /conditions/.test(p)), JSON.stringify(r.problems));
  t.is(r.mapping, undefined);
});

test('validateMapping refuses a rename that does not map names to names', (t) => {
  const r = validateMapping({ services: {}, categories: [{ category: 'c', service: 's', rename: { Image: 5 } }] });
  t.true(r.problems.some((p) => /rename/.test(p)), JSON.stringify(r.problems));
});
