/**
 * Field access on each JSON shape sigrep reads: the same events as flat NXLog/Logstash lines, nested
 * evtx_dump (`Event.System` with `#attributes`, `Event.EventData`), Winlogbeat/ECS (`winlog.*`) and Azure
 * (`EventData` as a JSON string). Per event: JSON.parse, building the FieldIndex ('sigma' resolution),
 * and reading three fields. Run: node dist/bench/field-access.bench.js [--mb 4]
 */
import Benchmark from 'benchmark';
import { FieldIndex } from '../src/event/field-index';
import { argNumber, loadLine, runSuite, sampleLines } from './support';

type Event = Record<string, unknown>;

const SYSTEM = new Set(['EventID', 'Channel', 'Hostname', 'SourceName', 'ProviderGuid', 'RecordNumber', 'Task', 'Level', 'Keywords', 'TimeCreated', '@timestamp']);

function split(e: Event): { system: Event; data: Event } {
  const system: Event = {};
  const data: Event = {};
  for (const [k, v] of Object.entries(e)) (SYSTEM.has(k) ? system : data)[k] = v;
  return { system, data };
}

const shapes: Record<string, (e: Event) => Event> = {
  flat: (e) => e,
  'nested evtx_dump': (e) => {
    const { system, data } = split(e);
    return {
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: { Provider: { '#attributes': { Name: system.SourceName, Guid: system.ProviderGuid } }, EventID: system.EventID, Channel: system.Channel, Computer: system.Hostname, EventRecordID: system.RecordNumber },
        EventData: data,
      },
    };
  },
  'ECS winlog': (e) => {
    const { system, data } = split(e);
    return { '@timestamp': system['@timestamp'], winlog: { channel: system.Channel, event_id: system.EventID, provider_name: system.SourceName, computer_name: system.Hostname, event_data: data }, host: { name: system.Hostname } };
  },
  'Azure EventData string': (e) => {
    const { system, data } = split(e);
    return { TenantId: 'redacted', Computer: system.Hostname, Channel: system.Channel, EventID: system.EventID, EventData: JSON.stringify(data) };
  },
};

function main(): void {
  const sample = sampleLines(argNumber('mb', 4));
  const events = sample.lines.map((l) => JSON.parse(l) as Event);
  console.log(`field access: ${events.length} events of ${sample.source}; ${loadLine()}`);
  for (const [name, shape] of Object.entries(shapes)) {
    const lines = events.map((e) => JSON.stringify(shape(e)));
    const parsed = lines.map((l) => JSON.parse(l) as unknown);
    const bytes = lines.reduce((n, l) => n + l.length, 0);
    console.log(`${name}: ${(bytes / lines.length).toFixed(0)} bytes per event`);
    const suite = new Benchmark.Suite(name);
    let sink = 0;
    suite.add(`${name}: JSON.parse`, () => {
      for (const l of lines) sink += (JSON.parse(l) as object) ? 1 : 0;
    });
    suite.add(`${name}: FieldIndex (sigma)`, () => {
      for (const e of parsed) sink += new FieldIndex(e, 'sigma').strings.length;
    });
    suite.add(`${name}: FieldIndex (keys)`, () => {
      for (const e of parsed) sink += new FieldIndex(e, 'keys').strings.length;
    });
    suite.add(`${name}: FieldIndex (sigma) + 3 fields`, () => {
      for (const e of parsed) {
        const ix = new FieldIndex(e, 'sigma');
        sink += ix.values('EventID').length + ix.values('Channel').length + ix.values('Image').length;
      }
    });
    runSuite(suite, { name: 'event', per: lines.length });
    if (sink < 0) console.log(sink);
  }
}

main();
