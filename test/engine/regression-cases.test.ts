/**
 * SigmaHQ's own regression cases, judged as SigmaHQ's runner judges them: with logsource mapping on, each
 * rule must match at least max(1, match_count) of its case's events.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuleSet, planRuleSet } from '../../src/api';
import { readRuleFiles } from '../../src/io/rule-files';
import { WINDOWS_MAPPING } from '../../src/logsource/mapping';
import { createRuleSetMatcher } from '../../src/engine/rule-set-matcher';
import { MISSING_SHARED, hasShared, readJsonLines, sharedPath } from '../support/shared';

interface Case {
  rule_id: string;
  rule_path: string;
  title: string;
  events: number[];
  match_count: number | null;
}

/** Cases that cannot pass, each with the reason (checked: exactly these fail). */
const KNOWN_FAILING: Record<string, string> = {};

if (!hasShared('corpora', 'sigma-regression', 'cases.jsonl')) {
  test.skip(`SigmaHQ regression cases: ${MISSING_SHARED}`, () => {});
} else {
  test('each regression case reaches max(1, match_count) matches with logsource mapping on', (t) => {
    const cases = readJsonLines<Case>(sharedPath('corpora', 'sigma-regression', 'cases.jsonl'));
    const events = fs.readFileSync(sharedPath('corpora', 'sigma-regression', 'events.jsonl'), 'utf8').split('\n');
    const failing: string[] = [];
    for (const c of cases) {
      const file = sharedPath('corpora', 'sigma-regression', 'rules', c.rule_path);
      const set = loadRuleSet(readRuleFiles([file]).files);
      const planned = planRuleSet(set, { mapping: WINDOWS_MAPPING, fieldResolution: 'sigma' });
      t.deepEqual(planned.notLoaded, [], c.rule_path);
      const lines = c.events.map((n) => events[n - 1]!);
      const result = createRuleSetMatcher(planned.plan).matchChunk(Buffer.from(lines.join('\n') + '\n'));
      const matched = new Set(result.detections.map((d) => d.lineIndex)).size;
      if (matched < Math.max(1, c.match_count ?? 0)) failing.push(path.basename(c.rule_path));
    }
    t.log(`${cases.length - failing.length} of ${cases.length} cases pass`);
    t.deepEqual(failing.sort(), Object.keys(KNOWN_FAILING).sort());
  });
}
