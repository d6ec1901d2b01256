/**
 * Every line of a chunk is accounted for, whichever path it takes: valid JSON lines no literal hit are only
 * counted, while empty lines, text lines and invalid JSON between candidate lines still take the general path
 * (empty, unparsed with a reason, or evaluated). Random mixes of line kinds, on both engines, with the
 * prefilter on and off.
 */
import test from 'ava';
import { loadRuleSet, planRuleSet } from '../../src/api';
import { nativePrefilterAvailability, type PrefilterEngineName } from '../../src/engine/line-prefilter';
import { createRuleSetMatcher } from '../../src/engine/rule-set-matcher';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { seeded } from '../support/random';

const engines: PrefilterEngineName[] = ['js'];
if (nativePrefilterAvailability().kind === 'available') engines.push('native');
else test('native engine: not built here, accounting checked on the JS engine only', (t) => t.pass());

const plan = planRuleSet(
  loadRuleSet([
    {
      file: 'mimikatz.yml',
      text: `title: mimikatz
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: mimikatz}
  condition: sel
`,
    },
  ]),
  { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' },
).plan;

type Kind = 'plain' | 'detected' | 'literal-only' | 'empty' | 'blank' | 'text' | 'text-literal' | 'invalid' | 'invalid-literal';
const KINDS: readonly Kind[] = ['plain', 'plain', 'plain', 'plain', 'detected', 'literal-only', 'empty', 'blank', 'text', 'text-literal', 'invalid', 'invalid-literal'];

function lineOf(kind: Kind): string {
  switch (kind) {
    case 'plain':
      return JSON.stringify({ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'cmd /c dir' });
    case 'detected':
      return JSON.stringify({ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', CommandLine: 'x MIMIKATZ y' });
    case 'literal-only': // the literal, but the rule's gate (process creation) fails
      return JSON.stringify({ EventID: 3, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'mimikatz.exe' });
    case 'empty':
      return '';
    case 'blank':
      return ' \t ';
    case 'text':
      return 'Nov 30 12:00:01 host sshd[1]: accepted';
    case 'text-literal':
      return 'Nov 30 12:00:01 host run mimikatz';
    case 'invalid':
      return '{"EventID": 1, "CommandLine": "cut';
    case 'invalid-literal':
      return '{"EventID": 1, "CommandLine": "mimikatz';
  }
}

test('random mixes of line kinds: counts, unparsed lines and detections are those of each line', (t) => {
  const rand = seeded(20261130);
  for (let round = 0; round < 40; round++) {
    const kinds = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => KINDS[Math.floor(rand() * KINDS.length)]!);
    // Runs of plain lines, so stretches without candidates are long and the others sit between them.
    if (round % 2 === 0) kinds.splice(Math.floor(rand() * kinds.length), 0, ...Array<Kind>(50).fill('plain'));
    const chunk = Buffer.from(kinds.map(lineOf).join('\n') + '\n');
    const blank = kinds.flatMap((k, i) => (k === 'empty' || k === 'blank' ? [i] : []));
    const invalid = kinds.flatMap((k, i) => (k === 'invalid' || k === 'invalid-literal' ? [i] : []));
    const detected = kinds.flatMap((k, i) => (k === 'detected' ? [i] : []));
    for (const engine of engines) {
      for (const usePrefilter of [true, false]) {
        const r = createRuleSetMatcher(plan, { prefilterEngine: engine, usePrefilter }).matchChunk(chunk);
        const what = `${engine}, prefilter ${usePrefilter ? 'on' : 'off'}, round ${round}`;
        t.is(r.lineCount, kinds.length, what);
        t.is(r.emptyLines, blank.length, what);
        t.deepEqual(r.unparsed.map((u) => u.lineIndex), invalid, what);
        t.true(r.unparsed.every((u) => u.reason.startsWith('invalid JSON')), what);
        t.is(r.evaluated, kinds.length - blank.length - invalid.length, `${what}: every other line is evaluated`);
        t.deepEqual(r.detections.map((d) => d.lineIndex), detected, what);
      }
    }
  }
});
