import test from 'ava';
import { LineFramer, type FramedItem } from '../../src/scan/line-framer';
import { seeded } from '../support/random';

function frame(input: string, chunkBytes: number, maxLineBytes: number, feed: number[] = [input.length]): FramedItem[] {
  const framer = new LineFramer({ chunkBytes, maxLineBytes });
  const data = Buffer.from(input);
  const items: FramedItem[] = [];
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const n = Math.max(1, feed[i++ % feed.length] as number);
    items.push(...framer.push(data.subarray(pos, pos + n)));
    pos += n;
  }
  items.push(...framer.end());
  return items;
}

const text = (item: FramedItem): string => (item.kind === 'chunk' ? Buffer.from(item.bytes).toString() : `<long ${item.length}>`);

test('chunks hold whole lines, end with a newline, and concatenate to the input', (t) => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`);
  const input = `${lines.join('\n')}\n`;
  for (const feed of [[1], [7], [64], [1000], [3, 50, 1]]) {
    const items = frame(input, 64, 1000, feed);
    t.true(items.length > 10);
    let offset = 0;
    for (const item of items) {
      t.is(item.kind, 'chunk');
      if (item.kind !== 'chunk') continue;
      t.is(item.offset, offset);
      t.is(item.bytes[item.bytes.length - 1], 10);
      t.is(item.bytes.byteOffset, 0, 'the chunk owns its buffer from 0');
      offset += item.bytes.length;
    }
    t.is(items.map(text).join(''), input);
  }
});

test('a last line without newline is a chunk of its own or part of the last one', (t) => {
  const items = frame('a\nb\nlast', 64, 1000);
  t.is(items.map(text).join(''), 'a\nb\nlast');
  t.true(text(items[items.length - 1] as FramedItem).endsWith('last'));
});

test('a line longer than the chunk grows the chunk until its newline', (t) => {
  const long = 'L'.repeat(5000);
  const input = `short\n${long}\nafter\n`;
  const items = frame(input, 64, 10_000, [100]);
  t.is(items.map(text).join(''), input);
  t.true(items.some((i) => i.kind === 'chunk' && text(i).includes(`${long}\n`)));
});

test('a line over the limit is reported with offset and length, and skipped', (t) => {
  const long = 'L'.repeat(500);
  const input = `a\n${long}\nb\n${long}`;
  const items = frame(input, 32, 100, [10]);
  t.deepEqual(
    items.filter((i) => i.kind === 'long-line'),
    [
      { kind: 'long-line', offset: 2, length: 500 },
      { kind: 'long-line', offset: 505, length: 500 },
    ],
  );
  t.is(items.map(text).join(''), `a\n<long 500>b\n<long 500>`);
  const b = items.find((i) => i.kind === 'chunk' && text(i) === 'b\n');
  t.is(b?.offset, 503);
});

test('a line of exactly the limit is kept, one byte more is skipped', (t) => {
  const kept = frame(`${'x'.repeat(100)}\n`, 16, 100);
  t.is(kept.map(text).join(''), `${'x'.repeat(100)}\n`);
  const skipped = frame(`${'x'.repeat(101)}\n`, 16, 100);
  t.deepEqual(skipped, [{ kind: 'long-line', offset: 0, length: 101 }]);
});

test('startOffset shifts every offset (a skipped byte-order mark)', (t) => {
  const framer = new LineFramer({ chunkBytes: 16, maxLineBytes: 100, startOffset: 3 });
  const items = [...framer.push(Buffer.from('aaaa\nbbbb\ncccc\ndddd\n')), ...framer.end()];
  t.is(items[0]?.offset, 3);
});

/** The same input read into the framer's own space (`space`/`commit`) in pieces of at most `read` bytes. */
function frameDirect(input: Buffer, chunkBytes: number, maxLineBytes: number, reads: number[]): FramedItem[] {
  const framer = new LineFramer({ chunkBytes, maxLineBytes });
  const items: FramedItem[] = [];
  let pos = 0;
  let i = 0;
  while (pos < input.length) {
    const space = framer.space();
    const n = Math.min(space.length, Math.max(1, reads[i++ % reads.length]!), input.length - pos);
    space.set(input.subarray(pos, pos + n));
    items.push(...framer.commit(n));
    pos += n;
  }
  items.push(...framer.end());
  return items;
}

test('reading into space() and commit() frames exactly as push() does, long lines included', (t) => {
  const rand = seeded(42);
  for (let round = 0; round < 200; round++) {
    const lines = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => 'y'.repeat(Math.floor(rand() * (rand() < 0.1 ? 400 : 40))));
    const input = Buffer.from(lines.join(rand() < 0.5 ? '\n' : '\r\n') + (rand() < 0.5 ? '\n' : ''));
    const chunkBytes = 16 + Math.floor(rand() * 100);
    const maxLineBytes = 20 + Math.floor(rand() * 300);
    const reads = Array.from({ length: 3 }, () => 1 + Math.floor(rand() * 200));
    const pushed = frame(input.toString('latin1'), chunkBytes, maxLineBytes, reads).map((x) => (x.kind === 'chunk' ? { ...x, bytes: Buffer.from(x.bytes).toString('latin1') } : x));
    const direct = frameDirect(input, chunkBytes, maxLineBytes, reads).map((x) => (x.kind === 'chunk' ? { ...x, bytes: Buffer.from(x.bytes).toString('latin1') } : x));
    t.deepEqual(direct, pushed, `round ${round}`);
  }
});
