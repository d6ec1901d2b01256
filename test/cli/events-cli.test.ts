/**
 * The CLI end to end, in memory: `sigrep events` prints one JSON event per line and reports problems on
 * stderr (exit 0 / 2); `sigrep scan` reads .evtx files in a directory next to JSON lines and prints
 * detections with line, offset and record.
 */
import test from 'ava';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { tempTree } from '../scan/helpers';
import { EVIL_RULE, manyEvents, multiChunkEvtx, processEventJson } from '../scan/evtx-fixtures';

function memoryIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void): NodeJS.WritableStream =>
    new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        append(chunk.toString('utf8'));
        callback();
      },
    });
  const io: Io = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    stdoutStream: stream((s) => (out += s)),
    stderrStream: stream((s) => (err += s)),
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  return { io, out: () => out, err: () => err };
}

const EVENTS = manyEvents(60, 4);

test('sigrep events: EVTX, JSON lines and text as JSON lines; problems on stderr; exit 0, then 2', async (t) => {
  const dir = tempTree({ 'a.evtx': multiChunkEvtx(EVENTS, 25), 'b.jsonl': '{"k": 1}\n{oops}\n', 'c.log': 'hello world\n' });
  const ok = memoryIo();
  t.is(await main(['events', `${dir}/a.evtx`, `${dir}/b.jsonl`, `${dir}/c.log`], ok.io), 0);
  const printed = ok.out().split('\n');
  t.is(printed.pop(), '');
  t.deepEqual(printed.map((l) => JSON.parse(l) as unknown), [...EVENTS.map(processEventJson), { k: 1 }, 'hello world']);
  t.is(ok.err(), `${dir}/b.jsonl:2: invalid JSON: Expected property name or '}' in JSON at position 1\n`);

  const bad = memoryIo();
  t.is(await main(['events', `${dir}/missing.evtx`, `${dir}/c.log`], bad.io), 2);
  t.is(bad.out(), '"hello world"\n');
  t.regex(bad.err(), /missing\.evtx: error\[FILE_NOT_FOUND\]/);
});

test('sigrep scan: a directory with EVTX and JSON lines, detections with line, offset and record', async (t) => {
  const evtx = multiChunkEvtx(EVENTS, 25);
  const dir = tempTree({
    'rules/evil.yml': EVIL_RULE,
    'logs/a.evtx': evtx,
    'logs/b.jsonl': `${EVENTS.map((e) => JSON.stringify(processEventJson(e))).join('\n')}\n`,
  });
  const { io, out, err } = memoryIo();
  t.is(await main(['scan', '-r', `${dir}/rules`, `${dir}/logs`, '--format', 'jsonl', '--threads', '2'], io), 0);
  const detections = out().trim().split('\n').map((l) => JSON.parse(l) as { file: string; line: number; offset: number; record?: number; event: unknown });
  const fromEvtx = detections.filter((d) => d.file.endsWith('a.evtx'));
  const fromLines = detections.filter((d) => d.file.endsWith('b.jsonl'));
  const expected = EVENTS.flatMap((e, i) => (e.image.endsWith('\\evil.exe') && e.eventId === 1 ? [i + 1] : []));
  t.deepEqual(fromEvtx.map((d) => d.line), expected);
  t.deepEqual(fromEvtx.map((d) => d.record), expected.map((l) => EVENTS[l - 1]!.recordId));
  t.deepEqual(fromEvtx.map((d) => d.event), fromLines.map((d) => d.event));
  t.deepEqual(fromLines.map((d) => d.line), expected);
  t.true(fromLines.every((d) => d.record === undefined), 'JSON lines have no record field');
  t.deepEqual(Object.keys(fromEvtx[0]!), ['rule', 'file', 'line', 'offset', 'record', 'event']);
  t.regex(err(), /^lines: 120 = 120 events evaluated/m);
  t.regex(err(), /^evtx: 1 files, 3 chunks/m);
});
