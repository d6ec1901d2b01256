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
