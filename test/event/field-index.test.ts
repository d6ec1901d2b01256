/** How fields are found in JSON events, in both resolutions (README "Semantics" → Fields). */
import test from 'ava';
import { FieldIndex } from '../../src/event/field-index';

const EVTX = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
      EventID: { '#attributes': { Qualifiers: '' }, '#text': 4688 },
      TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00Z' } },
      Channel: 'Security',
    },
    EventData: { NewProcessName: 'C:\\w\\cmd.exe' },
  },
};

test('keys: a field is a key of that name at any depth, with every value under it', (t) => {
  const idx = new FieldIndex({ a: { User: 'x' }, b: [{ User: 'y' }], User: 'z', n: 1 }, 'keys');
  t.deepEqual([...idx.values('User')].sort(), ['x', 'y', 'z']);
  t.deepEqual(idx.values('n'), [1]);
  t.deepEqual(idx.values('missing'), []);
  t.true(idx.has('a'));
  t.false(idx.has('user'));
});

test('keys: an object value is itself a value of its key', (t) => {
  const idx = new FieldIndex({ a: { b: 1 } }, 'keys');
  t.deepEqual(idx.values('a'), [{ b: 1 }]);
});

test('keys: null values are present', (t) => {
  const idx = new FieldIndex({ f: null }, 'keys');
  t.true(idx.has('f'));
  t.deepEqual(idx.values('f'), [null]);
});

test('keys: evtx_dump attribute and #text forms are not renamed', (t) => {
  const idx = new FieldIndex(EVTX, 'keys');
  t.false(idx.has('Provider_Name'));
  t.deepEqual(idx.values('Name'), ['Microsoft-Windows-Sysmon']);
  t.deepEqual(idx.values('#text'), [4688]);
  t.deepEqual(idx.values('Channel'), ['Security']);
});

test('sigma: #attributes become Key_Attribute and #text becomes the element value', (t) => {
  const idx = new FieldIndex(EVTX, 'sigma');
  t.deepEqual(idx.values('Provider_Name'), ['Microsoft-Windows-Sysmon']);
  t.deepEqual(idx.values('Provider_Guid'), ['5770385F-C22A-43E0-BF4C-06F5698FFBD9']);
  t.deepEqual(idx.values('TimeCreated_SystemTime'), ['2026-01-01T00:00:00Z']);
  t.deepEqual(idx.values('EventID_Qualifiers'), ['']);
  t.true(idx.values('EventID').includes(4688));
  t.deepEqual(idx.values('NewProcessName'), ['C:\\w\\cmd.exe']);
  // The #attributes of the root element have no element name to prefix: no "_xmlns" field.
  t.false(idx.has('_xmlns'));
});

test('sigma: winlog.* names are aliased to their Sigma names; the same names elsewhere are not', (t) => {
  const idx = new FieldIndex(
    { winlog: { event_id: 4624, channel: 'Security', provider_name: 'P', computer_name: 'PC', record_id: 7, event_data: { TargetUserName: 'bob' } }, other: { event_id: 1 } },
    'sigma',
  );
  t.deepEqual(idx.values('EventID'), [4624]);
  t.deepEqual(idx.values('Channel'), ['Security']);
  t.deepEqual(idx.values('Provider_Name'), ['P']);
  t.deepEqual(idx.values('Computer'), ['PC']);
  t.deepEqual(idx.values('EventRecordID'), [7]);
  t.deepEqual(idx.values('TargetUserName'), ['bob']);
  t.deepEqual([...idx.values('event_id')].sort(), [1, 4624]);
  const keys = new FieldIndex({ winlog: { event_id: 4624 } }, 'keys');
  t.false(keys.has('EventID'));
});

test('sigma: a name with spaces is also found without them (Threat Name → ThreatName)', (t) => {
  const idx = new FieldIndex({ 'Threat Name': 'EICAR', 'Detection User': 'u' }, 'sigma');
  t.deepEqual(idx.values('ThreatName'), ['EICAR']);
  t.deepEqual(idx.values('Threat Name'), ['EICAR']);
  t.deepEqual(idx.values('DetectionUser'), ['u']);
  t.false(new FieldIndex({ 'Threat Name': 'EICAR' }, 'keys').has('ThreatName'));
});

test('sigma: JSON held in a string (Azure EventData) is walked; keys mode leaves it a string', (t) => {
  const event = { EventData: '{"Image":"cmd.exe","Nested":{"User":"bob"}}', list: ['{"Inner":1}'] };
  const idx = new FieldIndex(event, 'sigma');
  t.deepEqual(idx.values('Image'), ['cmd.exe']);
  t.deepEqual(idx.values('User'), ['bob']);
  t.deepEqual(idx.values('Inner'), [1]);
  t.true(idx.strings.includes('cmd.exe'), 'keywords see the embedded strings');
  const keys = new FieldIndex(event, 'keys');
  t.false(keys.has('Image'));
  t.false(keys.strings.includes('cmd.exe'));
});

test('sigma: a GUID in braces is not parsed as JSON, and neither is a string that only looks like it', (t) => {
  const idx = new FieldIndex({ ProcessGuid: '{6a910b9d-1234-5678-9abc-def012345678}', Odd: '{"unterminated', Pad: '{ "a": 1 }' }, 'sigma');
  t.deepEqual(idx.values('ProcessGuid'), ['{6a910b9d-1234-5678-9abc-def012345678}']);
  t.deepEqual(idx.values('Odd'), ['{"unterminated']);
  // Whitespace before the first key is fine.
  t.deepEqual(idx.values('a'), [1]);
  t.deepEqual(
    [...idx.strings].sort(),
    ['{ "a": 1 }', '{"unterminated', '{6a910b9d-1234-5678-9abc-def012345678}'].sort(),
  );
});

test('strings: every string value at any depth, never keys or numbers', (t) => {
  const idx = new FieldIndex({ k1: 'v1', k2: { k3: ['v2', 3, true, null, { k4: 'v3' }] } }, 'keys');
  t.deepEqual([...idx.strings].sort(), ['v1', 'v2', 'v3']);
});

test('names that are Object.prototype members are ordinary fields', (t) => {
  const idx = new FieldIndex(JSON.parse('{"constructor":"c","__proto__":"p","toString":"s"}'), 'keys');
  t.deepEqual(idx.values('constructor'), ['c']);
  t.deepEqual(idx.values('__proto__'), ['p']);
  t.deepEqual(idx.values('toString'), ['s']);
  t.deepEqual(new FieldIndex({}, 'keys').values('constructor'), []);
  t.false(new FieldIndex({}, 'sigma').has('hasOwnProperty'));
});

test('a top-level scalar or array of scalars has no fields', (t) => {
  for (const event of ['abc', 42, null, true, ['x', 'y']]) {
    const idx = new FieldIndex(event, 'sigma');
    t.false(idx.has('0'), JSON.stringify(event));
    t.deepEqual(idx.values('0'), [], JSON.stringify(event));
  }
  t.deepEqual(new FieldIndex('abc', 'keys').strings, ['abc']);
});
