import test from 'ava';
import { EvtxFramer, evtxBlocksPerGroup, type EvtxFramedItem } from '../../src/scan/evtx-framer';

const K64 = 65536;

/** A stream whose byte at i is i mod 251, so any misplaced copy shows. */
function stream(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 251);
}

function frame(data: Uint8Array, blocksPerGroup: number, piece: number): EvtxFramedItem[] {
  const f = new EvtxFramer({ blocksPerGroup });
  const items: EvtxFramedItem[] = [];
  for (let i = 0; i < data.length; i += piece) items.push(...f.push(data.subarray(i, i + piece)));
  items.push(...f.end());
  return items;
}

test('header then groups of whole 64 KiB blocks, whatever the read sizes; a short last block is kept', (t) => {
  const data = stream(4096 + 5 * K64 + 1000);
  for (const piece of [1000, 4096, 65536, 1 << 20]) {
    const items = frame(data, 2, piece);
    t.deepEqual(
      items.map((i) => (i.kind === 'header' ? ['header', i.bytes.length] : ['blocks', i.offset, i.firstChunk, i.bytes.length])),
      [['header', 4096], ['blocks', 4096, 0, 2 * K64], ['blocks', 4096 + 2 * K64, 2, 2 * K64], ['blocks', 4096 + 4 * K64, 4, K64 + 1000]],
      `piece ${piece}`,
    );
    for (const i of items) {
      const start = i.kind === 'header' ? 0 : i.offset;
      t.deepEqual(i.bytes, data.subarray(start, start + i.bytes.length));
      if (i.kind === 'blocks') t.is(i.bytes.byteOffset, 0, 'each group owns its buffer from 0');
    }
  }
});

test('a stream that ends inside the header gives a short header and no group', (t) => {
  t.deepEqual(frame(stream(100), 1, 7).map((i) => [i.kind, i.bytes.length]), [['header', 100]]);
  t.deepEqual(frame(stream(4096), 1, 4096).map((i) => [i.kind, i.bytes.length]), [['header', 4096]]);
});

test('blocks per group from the scan chunk size: at least one', (t) => {
  t.is(evtxBlocksPerGroup(16), 1);
  t.is(evtxBlocksPerGroup(K64 + 1), 1);
  t.is(evtxBlocksPerGroup(1 << 20), 16);
  t.throws(() => new EvtxFramer({ blocksPerGroup: 0 }), { instanceOf: RangeError });
});
