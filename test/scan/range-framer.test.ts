/** RangeFramer: the lines of its ranges are exactly LineFramer's lines, whatever the line lengths. */
import test from 'ava';
import { LineFramer, type FramedItem } from '../../src/scan/line-framer';
import { RangeFramer, type RangeItem, type RangeSource } from '../../src/scan/range-framer';
import { seeded } from '../support/random';

/** A file in memory; `maxRead` caps each read, as a short read of a real file would. */
function memorySource(bytes: Buffer, maxRead = Infinity): RangeSource & { reads: number } {
  const source = {
    reads: 0,
    readAt(target: Uint8Array, position: number): number {
      source.reads++;
      const n = Math.max(0, Math.min(target.length, maxRead, bytes.length - position));
      target.set(bytes.subarray(position, position + n));
      return n;
    },
    size: () => bytes.length,
  };
  return source;
}

function ranges(source: RangeSource, chunkBytes: number, maxLineBytes: number, startOffset = 0, probeBytes?: number): RangeItem[] {
  const framer = new RangeFramer(source, { chunkBytes, maxLineBytes, startOffset, ...(probeBytes ? { probeBytes } : {}) });
  const items: RangeItem[] = [];
  for (let item = framer.next(); item; item = framer.next()) items.push(item);
  return items;
}

type Line = { offset: number; text: string } | { offset: number; tooLong: number };

/** The lines a framer's items hold, with their offsets: what a scan reports from. */
function linesOf(items: readonly { kind: string; offset: number; bytes?: Uint8Array; length?: number }[]): Line[] {
  const out: Line[] = [];
  for (const item of items) {
    if (item.kind === 'long-line') {
      out.push({ offset: item.offset, tooLong: item.length ?? -1 });
      continue;
    }
    const bytes = Buffer.from(item.bytes ?? new Uint8Array(0));
    for (let pos = 0; pos < bytes.length; ) {
      const nl = bytes.indexOf(10, pos);
      const end = nl < 0 ? bytes.length : nl + 1;
      out.push({ offset: item.offset + pos, text: bytes.toString('latin1', pos, end) });
      pos = end;
    }
  }
  return out;
}

function lineFramed(input: Buffer, chunkBytes: number, maxLineBytes: number, startOffset: number): FramedItem[] {
  const framer = new LineFramer({ chunkBytes, maxLineBytes, startOffset });
  return [...framer.push(input.subarray(startOffset)), ...framer.end()];
}

const withBytes = (input: Buffer, items: readonly RangeItem[]): { kind: string; offset: number; bytes?: Uint8Array; length?: number }[] =>
  items.map((i) => (i.kind === 'range' ? { kind: 'chunk', offset: i.offset, bytes: input.subarray(i.offset, i.offset + i.length) } : i));

/** Random lines: empty, short, around the chunk size, longer than a chunk, longer than the limit; LF or CRLF. */
function randomFile(rand: () => number, chunkBytes: number, maxLineBytes: number): { input: Buffer; startOffset: number } {
  const lines: string[] = [];
  const count = Math.floor(rand() * 40);
  for (let i = 0; i < count; i++) {
    const r = rand();
    const length =
      r < 0.15 ? 0 : r < 0.6 ? Math.floor(rand() * 20) : r < 0.8 ? chunkBytes - 3 + Math.floor(rand() * 6) : r < 0.92 ? chunkBytes + Math.floor(rand() * maxLineBytes) : maxLineBytes - 2 + Math.floor(rand() * (rand() < 0.5 ? 5 : 3 * maxLineBytes));
    lines.push('abcdefghij'.repeat(Math.ceil(length / 10) + 1).slice(0, Math.max(0, length)) + (rand() < 0.2 ? '\r' : ''));
  }
  const bom = rand() < 0.2;
  const body = lines.join('\n') + (rand() < 0.6 && count > 0 ? '\n' : '');
  return { input: Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'latin1')]), startOffset: bom ? 3 : 0 };
}

test('ranges hold LineFramer’s lines: long lines, over-long lines, CRLF, no final newline, BOM (property)', (t) => {
  const rand = seeded(7);
  for (let round = 0; round < 1500; round++) {
    const chunkBytes = 16 + Math.floor(rand() * 80);
    const maxLineBytes = 8 + Math.floor(rand() * 300);
    const { input, startOffset } = randomFile(rand, chunkBytes, maxLineBytes);
    const probeBytes = rand() < 0.5 ? 4 + Math.floor(rand() * 20) : undefined;
    const maxRead = rand() < 0.3 ? 1 + Math.floor(rand() * 7) : Infinity;
    const items = ranges(memorySource(input, maxRead), chunkBytes, maxLineBytes, startOffset, probeBytes);
    const context = `round ${round}: chunkBytes ${chunkBytes}, maxLineBytes ${maxLineBytes}, probe ${probeBytes}, ${input.length} bytes`;
    t.deepEqual(linesOf(withBytes(input, items)), linesOf(lineFramed(input, chunkBytes, maxLineBytes, startOffset)), context);
    // Ranges follow each other, end at a newline or at the end, and hold at most chunkBytes unless they hold one line.
    let pos = startOffset;
    for (const item of items) {
      t.is(item.offset, pos, context);
      if (item.kind === 'long-line') {
        t.true(item.length > maxLineBytes, context);
        pos = Math.min(input.length, item.offset + item.length + 1);
        continue;
      }
      t.true(item.length > 0, context);
      pos = item.offset + item.length;
      const bytes = input.subarray(item.offset, pos);
      t.true(pos === input.length || bytes[bytes.length - 1] === 10, context);
      const lineEnds = bytes.subarray(0, bytes.length - 1).indexOf(10);
      t.true(item.length <= Math.min(chunkBytes, maxLineBytes + 1) || lineEnds < 0, `${context}: ${item.length} bytes, several lines`);
    }
    t.is(pos, input.length, context);
  }
});

test('a line of exactly maxLineBytes is a chunk, one byte more is a long line, with or without newline', (t) => {
  for (const end of ['\n', '']) {
    const kept = Buffer.from(`${'x'.repeat(100)}${end}`);
    t.deepEqual(ranges(memorySource(kept), 16, 100), [{ kind: 'range', offset: 0, length: kept.length }]);
    const over = Buffer.from(`ab\n${'x'.repeat(101)}${end}cd\n`);
    t.deepEqual(ranges(memorySource(over), 16, 100), [
      { kind: 'range', offset: 0, length: 3 },
      { kind: 'long-line', offset: 3, length: end ? 101 : 103 },
      ...(end ? [{ kind: 'range' as const, offset: 105, length: 3 }] : []),
    ]);
  }
});

test('the usual cut costs one probe read; the size is asked near the end only', (t) => {
  const line = `${'{"k":"v"}'.repeat(10)}\n`;
  const input = Buffer.from(line.repeat(1000));
  const source = memorySource(input);
  let sizes = 0;
  const counted: RangeSource = { readAt: (b, p) => source.readAt(b, p), size: () => (sizes++, source.size()) };
  const items = ranges(counted, 4096, 1 << 20, 0, 512);
  t.is(items.length, Math.ceil(input.length / (Math.floor(4096 / line.length) * line.length)));
  t.is(source.reads, items.length - 1, 'the last range needs no probe');
  t.true(sizes <= 3, `${sizes} size calls`);
});

test('a file that grows while it is cut is followed to its new end', (t) => {
  let bytes = Buffer.from('a\n'.repeat(40));
  let sizes = 0;
  const source: RangeSource = {
    readAt: (target, position) => memorySource(bytes).readAt(target, position),
    size: () => {
      if (sizes++ === 1) bytes = Buffer.concat([bytes, Buffer.from('b\n'.repeat(10))]);
      return bytes.length;
    },
  };
  const items = ranges(source, 32, 100);
  t.deepEqual(linesOf(withBytes(bytes, items)), linesOf([{ kind: 'chunk', offset: 0, bytes }]));
});

test('a file that shrank under the probe is a read error naming where it ended', (t) => {
  const input = Buffer.from('abcdefghij\n'.repeat(100));
  const source: RangeSource = { ...memorySource(input.subarray(0, 500)), size: () => input.length };
  const framer = new RangeFramer(source, { chunkBytes: 64, maxLineBytes: 1000 });
  const seen: RangeItem[] = [];
  const error = t.throws(() => {
    for (let item = framer.next(); item; item = framer.next()) seen.push(item);
  });
  t.regex(error?.message ?? '', /ended at byte 500, before byte 1100: it shrank/);
  t.true(seen.length > 0 && seen.every((i) => i.kind === 'range' && i.offset + i.length <= 500));
});
