import test from 'ava';
import { OrderedQueue } from '../../src/scan/ordered-queue';

test('reserve waits for room; release makes room; abort wakes the reader with false', async (t) => {
  const q = new OrderedQueue<number>(2);
  t.true(await q.reserve());
  t.true(await q.reserve());
  let third: boolean | undefined;
  const pending = q.reserve().then((ok) => (third = ok));
  await new Promise((r) => setImmediate(r));
  t.is(third, undefined, 'a third chunk must wait while two are in flight');
  q.release();
  await pending;
  t.true(third);
  const fourth = q.reserve();
  q.abort();
  t.false(await fourth);
});

test('a reserve with a lower limit waits while that many are in flight; one above the capacity is held to it', async (t) => {
  const q = new OrderedQueue<number>(4);
  t.true(await q.reserve(4));
  t.true(await q.reserve(4));
  let low: boolean | undefined;
  const pending = q.reserve(2).then((ok) => (low = ok));
  await new Promise((r) => setImmediate(r));
  t.is(low, undefined, 'a chunk allowed two in flight waits while two are');
  t.true(await q.reserve(4), 'a chunk allowed four still gets room');
  q.release();
  q.release();
  await pending;
  t.true(low);
  t.true(await q.reserve(100));
  t.true(await q.reserve(100), 'four in flight: the capacity');
  let over: boolean | undefined;
  void q.reserve(100).then((ok) => (over = ok));
  await new Promise((r) => setImmediate(r));
  t.is(over, undefined, 'the capacity bounds every limit');
  q.abort();
});

test('items come out in push order; shift waits for the next push', async (t) => {
  const q = new OrderedQueue<number>(1);
  const first = q.shift();
  q.push(1);
  q.push(2);
  t.is(await first, 1);
  t.is(await q.shift(), 2);
  for (let i = 0; i < 3000; i++) q.push(i);
  const out: number[] = [];
  for (let i = 0; i < 3000; i++) out.push(await q.shift());
  t.deepEqual(out, Array.from({ length: 3000 }, (_, i) => i));
});
