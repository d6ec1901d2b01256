/**
 * The prefilter may only skip work, never detections: with logsource mapping on (the scanner's default),
 * the engine must report exactly the same detections with the prefilter on and off, over real events
 * and over random events built to hit many prefilter literals (values drawn from the plan's own literal
 * table, random case, Python-style spacing, nested and ECS shapes, text lines).
 */
import test from 'ava';
import { loadRuleSet, planRuleSet } from '../../src/api';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { createRuleSetMatcher } from '../../src/engine/rule-set-matcher';
import type { MatcherPlan } from '../../src/plan/types';
import { MISSING_SHARED, PROJECT_ROOT, hasShared, sharedPath } from '../support/shared';
import { realWindowsSlice } from '../support/corpus';
import { seeded } from '../support/random';
import * as path from 'node:path';

function detections(plan: MatcherPlan, lines: readonly string[], usePrefilter: boolean): string[] {
  const result = createRuleSetMatcher(plan, { usePrefilter }).matchChunk(Buffer.from(lines.join('\n') + '\n'));
  return result.detections.map((d) => `${d.lineIndex}:${d.rule}`).sort();
}

function randomLines(plan: MatcherPlan, seed: number, count: number, base: readonly string[]): string[] {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const randomCase = (s: string) => [...s].map((c) => (rand() < 0.5 ? c.toUpperCase() : c)).join('');
  const value = () => {
    const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomCase(pick(plan.literals)));
    return rand() < 0.3 ? `C:\\Windows\\${parts.join('\\')}` : parts.join(rand() < 0.5 ? ' ' : '');
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = JSON.parse(pick(base)) as Record<string, unknown>;
    for (const k of Object.keys(event)) if (typeof event[k] === 'string' && rand() < 0.3) event[k] = value();
    const shape = rand();
    let line: string;
    if (shape < 0.15) line = JSON.stringify({ Event: { System: { Channel: event['Channel'], EventID: event['EventID'] }, EventData: event } });
    else if (shape < 0.25) line = JSON.stringify({ winlog: { channel: event['Channel'], event_id: event['EventID'], event_data: event } });
    else if (shape < 0.3) line = value(); // a text line
    else line = JSON.stringify(event, null, rand() < 0.2 ? 0 : undefined).replace(/":/g, rand() < 0.3 ? '": ' : '":');
    out.push(line);
  }
  return out;
}

test('bundled rules: prefilter on = off over random events (no ../shared needed)', (t) => {
  const set = loadRuleSet(readRuleFiles([path.join(PROJECT_ROOT, 'rules')]).files);
  const { plan } = planRuleSet(set, { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
  const base = [
    JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\x\\powershell.exe', CommandLine: 'powershell -enc AAA', User: 'bob' }),
    JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 3, Image: 'C:\\x\\powershell.exe', DestinationIp: '8.8.8.8', DestinationPort: '3389', Initiated: 'true', User: 'bob' }),
    JSON.stringify({ Channel: 'Security', EventID: 4625, TargetUserName: 'admin', LogonType: 3 }),
  ];
  let total = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const lines = randomLines(plan, seed, 300, base);
    const on = detections(plan, lines, true);
    t.deepEqual(on, detections(plan, lines, false), `seed ${seed}`);
    total += on.length;
  }
  t.true(total > 0, 'the random events trigger some rules');
  t.log(`${total} detections`);
});

if (!hasShared('conformance', 'sigmac', 'rules') || !hasShared('corpora', 'real-windows')) {
  test.skip(`prefilter on = off with the SigmaHQ rule set: ${MISSING_SHARED}`, () => {});
} else {
  const set = loadRuleSet(readRuleFiles([sharedPath('conformance', 'sigmac', 'rules'), sharedPath('corpora', 'sigma-regression', 'rules')]).files);
  const { plan } = planRuleSet(set, { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
  const real = realWindowsSlice(5, 3_000);

  test('SigmaHQ rules with logsource mapping: prefilter on = off over 3,000 real events', (t) => {
    const on = detections(plan, real, true);
    t.deepEqual(on, detections(plan, real, false));
    t.true(on.length > 0, 'some detections, so the comparison means something');
    t.log(`${on.length} detections`);
  });

  test('SigmaHQ rules with logsource mapping: prefilter on = off over random events', (t) => {
    let total = 0;
    for (const seed of [11, 12, 13]) {
      const lines = randomLines(plan, seed, 1_500, real);
      const on = detections(plan, lines, true);
      t.deepEqual(on, detections(plan, lines, false), `seed ${seed}`);
      total += on.length;
    }
    t.true(total > 0, 'the random events trigger some rules');
    t.log(`${total} detections`);
  });
}
