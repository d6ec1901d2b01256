import test from 'ava';
import RE2 from 're2';
import { escapeRegex } from '../../src/regex/escape';
import { grepLineNumbers } from '../support/grep';
import { NASTY_ALPHABET, randomString, seeded } from '../support/random';

const rand = seeded(20261130);
const samples = Array.from({ length: 300 }, () => randomString(rand, NASTY_ALPHABET, 12)).filter((s) => s.length > 0);

test('RE2: ^escape(s)$ matches s and only s', (t) => {
  for (const s of samples) {
    const re = new RE2(`^${escapeRegex(s, 're2')}$`, 'u');
    t.true(re.test(s), JSON.stringify(s));
    t.false(re.test(`${s}x`), JSON.stringify(s));
    if (s.length > 1) t.false(re.test(s.slice(1)), JSON.stringify(s));
  }
});

test('PCRE (real grep -P): ^escape(s)$ matches exactly the line s', (t) => {
  // Newlines cannot be inside a grep line; the alphabet has none. One grep per sample, over all samples.
  const lines = samples.join('\n') + '\n';
  for (const [i, s] of samples.slice(0, 80).entries()) {
    const run = grepLineNumbers(`^${escapeRegex(s, 'pcre')}$`, lines, false);
    t.is(run.status === 2, false, run.stderr);
    const expected = samples.map((x, j) => (x === s ? j + 1 : 0)).filter((n) => n > 0);
    t.deepEqual(run.lines, expected, `sample ${i}: ${JSON.stringify(s)}`);
  }
});

test('letters, digits, spaces and non-ASCII stay readable', (t) => {
  t.is(escapeRegex('C:\\Windows\\cmd.exe', 'pcre'), 'C:\\\\Windows\\\\cmd\\.exe');
  t.is(escapeRegex('naïve café 日本', 'pcre'), 'naïve café 日本');
  t.is(escapeRegex('a\u0000b', 'pcre'), 'a\\x{0}b');
});
