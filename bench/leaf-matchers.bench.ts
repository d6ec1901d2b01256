/**
 * Leaf matchers (src/engine/leaf-matchers.ts) over EventViews of real events: the cost of one leaf of
 * each strategy on a view whose fields are already indexed, i.e. what a leaf adds beyond the per-event
 * indexing that every evaluated event pays once (the baseline line). Run: node dist/bench/leaf-matchers.bench.js [--mb 2]
 */
import Benchmark from 'benchmark';
import { EventView } from '../src/engine/event-view';
import { compileLeaf } from '../src/engine/leaf-matchers';
import type { PlanLeaf } from '../src/plan/types';
import { argNumber, loadLine, runSuite, sampleLines } from './support';

const LEAVES: Record<string, PlanLeaf> = {
  'exact (Channel)': { field: 'Channel', kind: 'exact', value: 'Microsoft-Windows-Sysmon/Operational', cased: false },
  'suffix (Image)': { field: 'Image', kind: 'suffix', value: '\\powershell.exe', cased: false },
  'contains (CommandLine)': { field: 'CommandLine', kind: 'contains', value: ' -enc ', cased: false },
  'contains cased (CommandLine)': { field: 'CommandLine', kind: 'contains', value: ' -enc ', cased: true },
  'number (EventID)': { field: 'EventID', kind: 'number', value: 3 },
  'cidr (DestinationIp)': { field: 'DestinationIp', kind: 'cidr', version: 4, first: '10.0.0.0', last: '10.255.255.255' },
  'regex anchored (Image)': { field: 'Image', kind: 'regex', source: '(?si:^c:\\\\windows\\\\.*\\.exe$)' },
  'regex leading .* (CommandLine)': { field: 'CommandLine', kind: 'regex', source: '(?si:^.*\\\\temp\\\\.*$)' },
  'keyword contains (every string)': { field: null, kind: 'contains', value: 'mimikatz', cased: false },
  'exists (ParentImage)': { field: 'ParentImage', kind: 'exists' },
};

function main(): void {
  const sample = sampleLines(argNumber('mb', 2));
  const events = sample.lines.map((l) => JSON.parse(l) as unknown);
  console.log(`leaf matchers: ${events.length} events of ${sample.source}; ${loadLine()}`);
  const suite = new Benchmark.Suite('leaves');
  let sink = 0;
  // A fresh view per event and call, indexed before the leaf runs (has() builds the FieldIndex).
  const fresh = (e: unknown): EventView => {
    const v = EventView.json(e, 'sigma');
    v.has('EventID');
    return v;
  };
  suite.add('baseline: view + FieldIndex', () => {
    for (const e of events) sink += fresh(e) ? 1 : 0;
  });
  for (const [name, leaf] of Object.entries(LEAVES)) {
    const m = compileLeaf(leaf);
    suite.add(`baseline + ${name}`, () => {
      for (const e of events) sink += m(fresh(e)) ? 1 : 0;
    });
  }
  runSuite(suite, { name: 'event', per: events.length });
  console.log('  (a leaf costs its line minus the baseline; the first case-insensitive leaf on a field also lowercases it)');
  if (sink < 0) console.log(sink);
}

main();
