/** ASCII case folding for the prefilter: A–Z become a–z, every other byte is kept as it is. */

/** `FOLD[b]` is `b` with A–Z mapped to a–z. */
export const ASCII_FOLD: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return table;
})();

export function foldAscii(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ASCII_FOLD[bytes[i]!]!;
  return out;
}
