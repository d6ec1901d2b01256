/** The text formatters of the sinks; formatCount must write exactly what toLocaleString('en-US') writes. */
import test from 'ava';
import { formatCount } from '../../src/scan/format';

test('formatCount groups thousands as en-US does', (t) => {
  const values = [0, -0, 1, 7, 10, 99, 100, 999, 1000, 1001, 9999, 12345, 100000, 999999, 1000000, 73218, 1234567890, -1, -999, -1000, -1234567];
  values.push(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1.5, 1234.5678, NaN, Infinity, -Infinity);
  for (let p = 1; p < 1e15; p *= 10) values.push(p - 1, p, p + 1, Math.floor(p * 1.234));
  for (const v of values) t.is(formatCount(v), v.toLocaleString('en-US'), String(v));
});
