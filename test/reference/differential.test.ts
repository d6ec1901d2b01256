/**
 * The correctness proof for the grep backend: for every SigmaHQ regression rule, the lines that real GNU
 * `grep -P` selects with sigrep's `--fields json` one-liner must be exactly the lines the reference
 * evaluator matches, over the regression events and a 20,000-line slice of real Windows logs.
 */
import test from 'ava';
import { readRuleFiles } from '../../src/io/rule-files';
import { compileLoadedRule, loadRuleSet } from '../../src/api';
import { compileGrep } from '../../src/backends/grep';
import { evaluate, prepareEvent, type PreparedEvent } from '../../src/reference/evaluate';
import { hasErrors } from '../../src/util/diagnostics';
import type { IrNode } from '../../src/ir/types';
import { MISSING_SHARED, PROJECT_ROOT, hasShared, sharedPath } from '../support/shared';
import { grepFileLineNumbers, mapLimit } from '../support/grep';
import { realWindowsSlice, tempFile } from '../support/corpus';
import * as os from 'node:os';
import * as zlib from 'node:zlib';
import * as path from 'node:path';
import * as fs from 'node:fs';

/** Regression rules the grep backend refuses, each with the reason (checked: exactly these are refused). */
const NOT_EXPRESSIBLE_IN_GREP: Record<string, string> = {};

const PARALLEL_GREPS = Math.max(2, os.availableParallelism());

const SLICE_LINES = 20_000;

if (!hasShared('corpora', 'sigma-regression', 'rules') || !hasShared('corpora', 'real-windows')) {
  test.skip(`grep -P vs reference evaluator differential: ${MISSING_SHARED}`, () => {});
} else {
  const read = readRuleFiles([sharedPath('corpora', 'sigma-regression', 'rules')]);
  const set = loadRuleSet(read.files);
  const compiled = set.rules.map((r) => ({ r, c: compileLoadedRule(r) }));
  const corpora: { name: string; lines: string[] }[] = [
    { name: 'sigma-regression events', lines: fs.readFileSync(sharedPath('corpora', 'sigma-regression', 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '') },
    { name: `real-windows slice (${SLICE_LINES} lines)`, lines: realWindowsSlice(0, SLICE_LINES) },
  ];
  const parsed = corpora.map((c) => c.lines.map((l) => prepareEvent({ kind: 'json', event: JSON.parse(l) })));

  test('every regression rule compiles', (t) => {
    t.is(read.diagnostics.length, 0);
    const failing = compiled.filter(({ c }) => hasErrors(c.diagnostics)).map(({ r, c }) => `${r.rule.file}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
    t.deepEqual(failing, []);
    t.true(compiled.length >= 140);
  });

  for (const [ci, corpus] of corpora.entries()) {
    test(`grep -P --fields json selects exactly the evaluator's lines: ${corpus.name}`, async (t) => {
      const file = tempFile(`corpus-${ci}.jsonl`, corpus.lines.join('\n') + '\n');
      const refused: string[] = [];
      const jobs: { title: string; file: string; pattern: string; expected: number[] }[] = [];
      for (const { r, c } of compiled) {
        if (!c.ir) continue;
        const grep = compileGrep(c.ir, { fields: 'json', format: 'regex' });
        if (!grep.ok) {
          refused.push(path.relative(sharedPath('corpora', 'sigma-regression', 'rules'), r.rule.file));
          continue;
        }
        jobs.push({ title: r.rule.title, file: r.rule.file, pattern: grep.pattern, expected: matchingLines(c.ir, parsed[ci]!) });
      }
      const runs = await mapLimit(jobs, PARALLEL_GREPS, (j) => grepFileLineNumbers(j.pattern, file));
      let totalMatches = 0;
      runs.forEach((run, i) => {
        const j = jobs[i]!;
        t.not(run.status, 2, `${j.file}: grep error ${run.stderr}`);
        t.deepEqual(run.lines, j.expected, `${j.title} (${j.file})`);
        totalMatches += j.expected.length;
      });
      t.log(`${jobs.length} rules through grep, ${totalMatches} matching lines in all`);
      t.deepEqual(refused.sort(), Object.keys(NOT_EXPRESSIBLE_IN_GREP).sort());
    });
  }

  test('PowerShell Network Connections over the first real-windows shard: 37 lines by grep -P and by the evaluator', async (t) => {
    const ruleFile = path.join(PROJECT_ROOT, 'rules', 'windows', 'sysmon', 'powershell_network_connections.yml');
    const one = loadRuleSet(readRuleFiles([ruleFile]).files);
    const c = compileLoadedRule(one.rules[0]!);
    t.truthy(c.ir);
    if (!c.ir) return;
    const shard = zlib.gunzipSync(fs.readFileSync(sharedPath('corpora', 'real-windows', 'otrf-windows-000.jsonl.gz')));
    const file = tempFile('shard-000.jsonl', shard);
    const grep = compileGrep(c.ir, { fields: 'json', format: 'regex' });
    t.true(grep.ok);
    if (!grep.ok) return;
    const run = await grepFileLineNumbers(grep.pattern, file);
    t.is(run.status, 0, run.stderr);
    const lines = shard.toString('utf8').split('\n').filter((l) => l !== '');
    const expected = lines.flatMap((l, i) => (evaluate(c.ir!, { kind: 'json', event: JSON.parse(l) }) ? [i + 1] : []));
    t.is(expected.length, 37);
    t.deepEqual(run.lines, expected);
  });
}

function matchingLines(ir: IrNode, events: readonly PreparedEvent[]): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    if (evaluate(ir, e)) out.push(i + 1);
  });
  return out;
}
