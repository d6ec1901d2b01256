/**
 * Gate fields read during JSON validation (FramedChunk.gateCodes): both engines give the same codes, the
 * written-down codes of hand-made lines, and on random lines a known code never contradicts what the
 * field index (the engine's own view of the parsed event) holds, which is what makes gating sound.
 */
import test from 'ava';
import {
  createLinePrefilter,
  encodeLiterals,
  GATE_ABSENT,
  GATE_OTHER,
  GATE_UNKNOWN,
  nativePrefilterAvailability,
  type GateField,
  type PrefilterEngineName,
} from '../../src/engine/line-prefilter';
import { FieldIndex } from '../../src/event/field-index';
import { numberEquals, scalarText } from '../../src/event/value-semantics';
import { createRuleSetMatcher } from '../../src/engine/rule-set-matcher';
import { planRuleGates } from '../../src/engine/rule-gates';
import { loadRuleSet, planRuleSet } from '../../src/api';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import type { MatcherPlan } from '../../src/plan/types';
import { seeded } from '../support/random';

const engines: PrefilterEngineName[] = ['js'];
if (nativePrefilterAvailability().kind === 'available') engines.push('native');
else test('native engine: not built here, gate codes checked on the JS engine only', (t) => t.pass());

const GATES: GateField[] = [
  { name: 'EventID', aliases: ['event_id'], values: ['3', '4688'] },
  { name: 'Channel', aliases: ['channel'], values: ['security', 'microsoft-windows-sysmon/operational'] },
];
const [E3, E4688] = [0, 1];
const [SECURITY, SYSMON] = [0, 1];

/** Literals that make every line below a candidate, except the empty one. */
const EVERY_LINE = ['{', 'text'];

/** Per line its two gate codes, and whether it is a candidate line (some literal hit it). */
function framedCodes(
  engine: PrefilterEngineName,
  lines: readonly string[],
  literals: readonly string[],
  gatesOnEveryLine = false,
): { codes: number[][]; candidate: boolean[] } {
  const prefilter = createLinePrefilter(encodeLiterals(literals), { engine, validateJson: true, gates: GATES, gatesOnEveryLine });
  const framed = prefilter.frame(Buffer.from(lines.join('\n') + '\n'));
  const codes = framed.gateCodes!;
  const candidate = new Array<boolean>(framed.lineCount).fill(false);
  for (const line of framed.candidateLines) candidate[line] = true;
  return { codes: Array.from({ length: framed.lineCount }, (_, l) => [codes[l * 2]!, codes[l * 2 + 1]!]), candidate };
}

function codesOf(engine: PrefilterEngineName, lines: readonly string[]): number[][] {
  return framedCodes(engine, lines, EVERY_LINE).codes;
}

const CASES: readonly (readonly [string, number, number])[] = [
  ['{"EventID":3,"Channel":"Security"}', E3, SECURITY],
  ['{"EventID": 4688, "Channel": "SECURITY"}', E4688, SECURITY],
  ['{"EventID":"3","Channel":"Microsoft-Windows-Sysmon/Operational"}', E3, SYSMON],
  ['{"EventID":7,"Channel":"Application"}', GATE_OTHER, GATE_OTHER],
  ['{"Image":"C:\\\\x.exe"}', GATE_ABSENT, GATE_ABSENT],
  ['{}', GATE_ABSENT, GATE_ABSENT],
  ['{"EventID":null,"Channel":true}', GATE_OTHER, GATE_OTHER],
  // Number forms whose text is not String(n), and containers.
  ['{"EventID":3.0}', GATE_UNKNOWN, GATE_ABSENT],
  ['{"EventID":3e0}', GATE_UNKNOWN, GATE_ABSENT],
  ['{"EventID":-3}', GATE_UNKNOWN, GATE_ABSENT],
  ['{"EventID":[3]}', GATE_UNKNOWN, GATE_ABSENT],
  ['{"EventID":{"#text":"3"}}', GATE_UNKNOWN, GATE_ABSENT],
  // The key at any depth, twice, aliased, spaced or escaped.
  ['{"Event":{"System":{"EventID":3,"Channel":"Security"}}}', E3, SECURITY],
  ['{"EventID":3,"x":{"EventID":4688}}', GATE_UNKNOWN, GATE_ABSENT],
  ['{"winlog":{"event_id":3,"channel":"Security"}}', GATE_UNKNOWN, GATE_UNKNOWN],
  ['{"Event ID":3,"Channel":"Security"}', GATE_UNKNOWN, SECURITY],
  ['{"Event\\u0049D":3,"Channel":"Security"}', GATE_UNKNOWN, GATE_UNKNOWN],
  // Values the bytes cannot settle.
  ['{"EventID":3,"Channel":"Microsoft-Windows-Sysmon\\/Operational"}', E3, GATE_UNKNOWN],
  ['{"EventID":3,"Channel":"S\u00e9curit\u00e9"}', E3, GATE_UNKNOWN],
  // Embedded JSON is parsed again by the field index; a GUID in braces is not JSON.
  ['{"EventID":3,"Data":"{\\"EventID\\":4688}"}', GATE_UNKNOWN, GATE_UNKNOWN],
  ['{"EventID":3,"Data":"{ \\"a\\":1}"}', GATE_UNKNOWN, GATE_UNKNOWN],
  ['{"EventID":3,"ProcessGuid":"{6a910b9d-498a-5ee0-c903-000000000400}"}', E3, GATE_ABSENT],
  // Not a valid object: nothing is known.
  ['{"EventID":3,', GATE_UNKNOWN, GATE_UNKNOWN],
  ['plain text EventID 3', GATE_UNKNOWN, GATE_UNKNOWN],
  ['', GATE_UNKNOWN, GATE_UNKNOWN],
];

for (const engine of engines) {
  test(`${engine}: hand-written lines get the written-down gate codes`, (t) => {
    const got = codesOf(engine, CASES.map((c) => c[0]));
    CASES.forEach(([line, eventId, channel], i) => t.deepEqual(got[i], [eventId, channel], line));
  });
}

for (const engine of engines) {
  test(`${engine}: gates are read on candidate lines only; every other line has every code unknown`, (t) => {
    const lines = CASES.map((c) => c[0]);
    const all = framedCodes(engine, lines, EVERY_LINE);
    // "security" hits some of the lines whatever their case; the rest are not candidates.
    const some = framedCodes(engine, lines, ['security']);
    const hit = some.candidate.filter((c) => c).length;
    t.true(hit > 3 && hit < lines.length - 3, `the literal makes some lines candidates and not others (${hit})`);
    lines.forEach((line, i) => {
      if (some.candidate[i]) t.deepEqual(some.codes[i], all.codes[i], `candidate: ${line}`);
      else t.deepEqual(some.codes[i], [GATE_UNKNOWN, GATE_UNKNOWN], `not a candidate: ${line}`);
    });
    // Without literals no line is a candidate.
    t.true(framedCodes(engine, lines, []).codes.every((c) => c[0] === GATE_UNKNOWN && c[1] === GATE_UNKNOWN));
  });

  test(`${engine}: gatesOnEveryLine reads the gates of every line, candidate or not`, (t) => {
    const lines = CASES.map((c) => c[0]);
    const want = CASES.map((c) => [c[1], c[2]]);
    t.deepEqual(framedCodes(engine, lines, ['security'], true).codes, want);
    t.deepEqual(framedCodes(engine, lines, [], true).codes, want);
  });
}

test('gates need JSON validation, and at most eight fields', (t) => {
  t.throws(() => createLinePrefilter([], { engine: 'js', gates: GATES }), { instanceOf: RangeError });
  const nine = Array.from({ length: 9 }, (_, i) => ({ name: `F${i}`, aliases: [], values: [] }));
  t.throws(() => createLinePrefilter([], { engine: 'js', validateJson: true, gates: nine }), { instanceOf: RangeError });
});

// ---------------------------------------------------------------------------------------------------------
// Random lines: soundness against the field index, and the engines against each other.

function randomLine(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const eventIds: unknown[] = [3, 4688, '3', '4688', 7, 3.5, -3, 0, null, true, [3], { '#text': 3 }, '03', ' 3', 'x'];
  const channels: unknown[] = ['Security', 'security', 'SECURITY', 'Microsoft-Windows-Sysmon/Operational', 'Application', 'S\u00e9curity', '', 4688];
  const event: Record<string, unknown> = {};
  const put = (o: Record<string, unknown>, k: string, v: unknown) => {
    o[k] = v;
  };
  const keys = ['EventID', 'Channel', 'Event ID', 'eventid', 'event_id', 'channel', 'Image', 'Data'];
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    const k = pick(keys);
    const v = k.toLowerCase().includes('event') ? pick(eventIds) : k.toLowerCase().includes('channel') ? pick(channels) : pick(['{6a91-00}', 'x', 'C:\\a.exe']);
    if (rand() < 0.2) put(event, 'winlog', { [k]: v });
    else if (rand() < 0.2) put(event, 'System', { [k]: v, Other: pick(eventIds) });
    else if (rand() < 0.1) put(event, 'Data', JSON.stringify({ [k]: v }));
    else put(event, k, v);
  }
  let line = JSON.stringify(event);
  if (rand() < 0.3) line = line.replace(/":/g, '": ');
  if (rand() < 0.1) line = line.replace(/\//g, '\\/');
  if (rand() < 0.05) line = line.replace('EventID', 'Event\\u0049D');
  if (rand() < 0.05) line = line.slice(0, Math.floor(rand() * line.length));
  return line;
}

/** Does the event, as the engine's field index sees it, hold `value` (a gate dictionary text) under `field`? */
function holds(index: FieldIndex, field: string, value: string): boolean {
  return index.values(field).some((v) => {
    if (/^\d+$/.test(value) && numberEquals(v, Number(value))) return true;
    const s = scalarText(v);
    return s !== undefined && s.toLowerCase() === value;
  });
}

test('random lines: a known gate code never contradicts the field index (value or presence), and both engines agree', (t) => {
  const rand = seeded(20261130);
  const lines = Array.from({ length: 3000 }, () => randomLine(rand));
  // Every line a candidate, then only lines holding "4688" or "image" (any case): the engines agree on
  // both, a candidate line's codes do not depend on which literal made it one, and others are unknown.
  const byEngine = engines.map((e) => codesOf(e, lines));
  const partial = engines.map((e) => framedCodes(e, lines, ['4688', 'image']));
  for (let e = 1; e < engines.length; e++) {
    t.deepEqual(byEngine[e], byEngine[0], `${engines[e]} and ${engines[0]} differ`);
    t.deepEqual(partial[e], partial[0], `${engines[e]} and ${engines[0]} differ on candidate lines`);
  }
  const { codes: partialCodes, candidate } = partial[0]!;
  let candidates = 0;
  lines.forEach((line, l) => {
    if (candidate[l]) candidates++;
    t.deepEqual(partialCodes[l], candidate[l] ? byEngine[0]![l] : [GATE_UNKNOWN, GATE_UNKNOWN], line);
  });
  t.true(candidates > 300 && candidates < 2700, `some lines are candidates and some not (${candidates})`);
  let known = 0;
  let contradictions = 0;
  lines.forEach((line, l) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    const index = new FieldIndex(event, 'sigma');
    GATES.forEach((gate, g) => {
      const code = byEngine[0]![l]![g]!;
      if (code === GATE_UNKNOWN) return;
      known++;
      // A value code (OTHER included) says the key is there: an absent-key gate (not exists) then fails.
      if (code !== GATE_ABSENT && !index.has(gate.name)) {
        contradictions++;
        if (contradictions < 5) t.fail(`${line}: ${gate.name} has code ${code} but the field index has no ${gate.name}`);
      }
      gate.values.forEach((value, id) => {
        if (holds(index, gate.name, value) && code !== id) {
          contradictions++;
          if (contradictions < 5) t.fail(`${line}: ${gate.name} holds ${value} but the code is ${code}`);
        }
      });
    });
  });
  t.is(contradictions, 0);
  t.true(known > 1000, `enough lines have known codes to make the check mean something (${known})`);
});

// ---------------------------------------------------------------------------------------------------------
// The engine: gated rules are dropped before the line is decoded, and detections do not change.

function planOf(yaml: string): MatcherPlan {
  const set = loadRuleSet([{ file: 'gates.yml', text: yaml }]);
  return planRuleSet(set, { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' }).plan;
}

const RULES = `title: Sysmon network by powershell
logsource: {product: windows, service: sysmon}
detection:
  sel: {EventID: 3, Image|endswith: '\\powershell.exe'}
  condition: sel
---
title: Security logon by powershell
logsource: {product: windows, service: security}
detection:
  sel: {EventID: [4624, 4625], ProcessName|endswith: '\\powershell.exe'}
  condition: sel
---
title: Process creation by powershell
logsource: {product: windows, category: process_creation}
detection:
  sel: {ParentImage|endswith: '\\powershell.exe'}
  condition: sel
`;

test('rules whose gate fails are dropped before the line is parsed; detections are unchanged', (t) => {
  const plan = planOf(RULES);
  const gates = planRuleGates(plan);
  t.deepEqual(gates.fields.map((f) => f.name).sort(), ['Channel', 'EventID']);
  t.true(gates.tests.every((g) => g !== undefined), 'every rule has a logsource gate');
  const sysmon = 'Microsoft-Windows-Sysmon/Operational';
  const lines = [
    { EventID: 3, Channel: sysmon, Image: 'C:\\x\\powershell.exe' }, // rule 0
    { EventID: 11, Channel: sysmon, Image: 'C:\\x\\powershell.exe' }, // literal hit, gate fails
    { EventID: 1, Channel: sysmon, ParentImage: 'C:\\x\\powershell.exe' }, // rule 2
    { EventID: 4624, Channel: 'Security', ProcessName: 'C:\\x\\powershell.exe' }, // rule 1
    { EventID: 4688, Channel: 'Security', ProcessName: 'C:\\x\\powershell.exe' }, // literal hit, no rule 1 gate; rule 2 gate holds
    { EventID: 4688, Channel: 'Security', ParentProcessName: 'C:\\x\\powershell.exe' }, // rule 2 via mapping
    { EventID: '3', Channel: sysmon, Image: 'C:\\x\\POWERSHELL.EXE' }, // rule 0 (string id, any case)
    { Event: { System: { EventID: 3, Channel: sysmon } }, Image: 'C:\\x\\powershell.exe' }, // rule 0, nested
    { winlog: { event_id: 3, channel: sysmon, event_data: { Image: 'C:\\x\\powershell.exe' } } }, // rule 0, ECS: unknown gate
  ].map((e) => JSON.stringify(e));
  const chunk = Buffer.from(lines.join('\n') + '\n');
  for (const engine of engines) {
    const on = createRuleSetMatcher(plan, { prefilterEngine: engine, profile: true });
    const off = createRuleSetMatcher(plan, { prefilterEngine: engine, usePrefilter: false });
    const got = on.matchChunk(chunk).detections.map((d) => `${d.lineIndex}:${d.rule}`);
    const want = off.matchChunk(chunk).detections.map((d) => `${d.lineIndex}:${d.rule}`);
    t.deepEqual(got, want, `${engine}: prefilter and gates change no detection`);
    t.deepEqual(got, ['0:0', '2:2', '3:1', '5:2', '6:0', '7:0', '8:0'], `${engine}: the detections meant`);
    // Line 1 (EventID 11) holds the literal of rules 0 and 2 but fails both gates: never parsed.
    t.is(on.profile().parsedLines, lines.length - 1, `${engine}: exactly the gated-out line was not parsed`);
    t.is(on.profile().gatedLines, 1, `${engine}: and it is counted as ruled out by its gate`);
  }
});

test('lines ruled out by their gates in one chunk are left out by the prefilter in the next; detections are unchanged', (t) => {
  const plan = planOf(RULES);
  const sysmon = 'Microsoft-Windows-Sysmon/Operational';
  const gatedOut = { EventID: 11, Channel: sysmon, Image: 'C:\\x\\powershell.exe' };
  const detected = { EventID: 3, Channel: sysmon, Image: 'C:\\y\\powershell.exe' };
  const chunkOf = (events: readonly object[]) => Buffer.from(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const first = chunkOf([gatedOut, gatedOut, detected]);
  const second = chunkOf([gatedOut, detected, gatedOut, gatedOut, detected]);
  for (const engine of engines) {
    const m = createRuleSetMatcher(plan, { prefilterEngine: engine, profile: true });
    t.deepEqual(m.matchChunk(first).detections.map((d) => d.lineIndex), [2], engine);
    const parsedBefore = m.profile().parsedLines;
    t.deepEqual(m.matchChunk(second).detections.map((d) => `${d.lineIndex}:${d.rule}`), ['1:0', '4:0'], `${engine}: the same detections`);
    t.is(m.profile().parsedLines - parsedBefore, 2, `${engine}: only the two detected lines were parsed`);
    t.is(m.profile().gatedLines, 2 + 3, `${engine}: every gated line is counted, by the matcher or by the prefilter`);
  }
});

test('a rule for a logsource the mapping does not know is gated out on events with a Channel, and runs on events without one', (t) => {
  const plan = planOf(`title: Linux wget
logsource: {product: linux, category: process_creation}
detection:
  sel: {CommandLine|contains: 'wget '}
  condition: sel
`);
  const gates = planRuleGates(plan);
  t.deepEqual(gates.fields.map((f) => f.name), ['Channel'], 'the required-absent key is the gate field');
  t.deepEqual(gates.fields[0]!.values, [], 'tested for absence only: no values');
  const lines = [
    { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'wget x' }, // Windows: gated out
    { CommandLine: 'wget x' }, // no product key: detected
    { Channel: null, CommandLine: 'wget x' }, // the key is there (null): the rule's "not exists" fails
    { winlog: { channel: 'Security' }, CommandLine: 'wget x' }, // an alias: the gate cannot say, the rule decides
    { Data: '{"Channel":"Security"}', CommandLine: 'wget x' }, // only in embedded JSON: the gate cannot see it
  ].map((e) => JSON.stringify(e));
  const chunk = Buffer.from(lines.join('\n') + '\n');
  for (const engine of engines) {
    const on = createRuleSetMatcher(plan, { prefilterEngine: engine, profile: true });
    const off = createRuleSetMatcher(plan, { prefilterEngine: engine, usePrefilter: false });
    const got = on.matchChunk(chunk).detections.map((d) => d.lineIndex);
    t.deepEqual(got, off.matchChunk(chunk).detections.map((d) => d.lineIndex), `${engine}: gates change no detection`);
    t.deepEqual(got, [1], `${engine}: the detection meant`);
    t.is(on.profile().gatedLines, 2, `${engine}: the lines holding a Channel value (null too) are ruled out by the gate`);
    t.is(on.profile().parsedLines, lines.length - 2, `${engine}: and never parsed`);
  }
});

test('a rule without literals is still ruled out by its gate on lines no literal hits', (t) => {
  const plan: MatcherPlan = {
    format: 'sigrep-matcher-plan',
    version: 1,
    fieldResolution: 'sigma',
    literals: ['mimikatz'],
    leaves: [
      { field: 'EventID', kind: 'number', value: 4624 },
      { field: 'LogonType', kind: 'number', value: 10 },
      { field: 'CommandLine', kind: 'contains', value: 'mimikatz', cased: false },
      { field: 'EventID', kind: 'number', value: 1 },
    ],
    rules: [
      { id: '', title: 'RDP logon', level: 'low', tags: [], file: 'a.yml', condition: { and: [{ leaf: 0 }, { leaf: 1 }] }, prefilter: [], unlessKeys: [] },
      { id: '', title: 'mimikatz', level: 'high', tags: [], file: 'b.yml', condition: { and: [{ leaf: 3 }, { leaf: 2 }] }, prefilter: [[0]], unlessKeys: [] },
    ],
  };
  const lines = ['{"EventID":4624,"LogonType":10}', '{"EventID":4625,"LogonType":10}', '{"EventID":1,"CommandLine":"x"}', '{"EventID":1,"CommandLine":"mimikatz"}'];
  const chunk = Buffer.from(lines.join('\n') + '\n');
  for (const engine of engines) {
    const m = createRuleSetMatcher(plan, { prefilterEngine: engine, profile: true });
    t.deepEqual(m.matchChunk(chunk).detections.map((d) => `${d.lineIndex}:${d.rule}`), ['0:0', '3:1'], engine);
    // Lines 1 and 2 fail the literal-less rule's gate (EventID 4624) and hold no literal: never parsed.
    t.is(m.profile().parsedLines, 2, `${engine}: the gate of the rule without literals is read on every line`);
  }
});

test('a field tested for more values than gate codes exist is not a gate, and the matcher still builds', (t) => {
  const values = 0x10000;
  const plan: MatcherPlan = {
    format: 'sigrep-matcher-plan',
    version: 1,
    fieldResolution: 'sigma',
    literals: [],
    leaves: [
      ...Array.from({ length: values }, (_, i) => ({ field: 'Hash', kind: 'exact' as const, value: `h${i}`, cased: false })),
      { field: 'EventID', kind: 'number' as const, value: 1 },
    ],
    rules: [
      {
        id: '',
        title: 'IOC list',
        level: 'high',
        tags: [],
        file: 'ioc.yml',
        condition: { and: [{ leaf: values }, { or: Array.from({ length: values }, (_, i) => ({ leaf: i })) }] },
        prefilter: [],
        unlessKeys: [],
      },
    ],
  };
  t.deepEqual(planRuleGates(plan).fields.map((f) => f.name), ['EventID']);
  const m = createRuleSetMatcher(plan, { prefilterEngine: 'js' });
  const hits = m.matchChunk(Buffer.from('{"EventID":1,"Hash":"H77"}\n{"EventID":2,"Hash":"h77"}\n')).detections.map((d) => d.lineIndex);
  t.deepEqual(hits, [0]);
});
