/** A small seeded PRNG (mulberry32) so property tests are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomString(rand: () => number, alphabet: readonly string[], maxLength: number): string {
  const n = Math.floor(rand() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)]!;
  return s;
}

/** Characters that break naive regex and shell handling, plus ordinary text. */
export const NASTY_ALPHABET: readonly string[] = [
  ...'abcXYZ019 _-',
  ...'\\^$.|?*+()[]{}/\'"#%&!<>=,;:@`~',
  '\t',
  'é',
  'ß',
  '\u2013',
  '日',
  '\u0001',
];
