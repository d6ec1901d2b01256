/**
 * A regex for the dotted-quad IPv4 addresses in [first, last], built octet by octet: used where a
 * CIDR test must be a single regex (grep one-liners, text queries).
 */

function octetRange(lo: number, hi: number): string {
  if (lo === 0 && hi === 255) return '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  if (lo === hi) return String(lo);
  const alts: string[] = [];
  for (let n = lo; n <= hi; n++) alts.push(String(n));
  return `(?:${alts.join('|')})`;
}

/** Regex source matching exactly the addresses of an IPv4 CIDR block (network as a 32-bit number). */
export function ipv4CidrRegex(network: bigint, prefixLength: number): string {
  const octets = [24n, 16n, 8n, 0n].map((s) => Number((network >> s) & 0xffn));
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
    const mask = bitsHere === 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
    const lo = octets[i]! & mask;
    const hi = lo | (~mask & 0xff);
    parts.push(octetRange(lo, hi));
  }
  return parts.join('\\.');
}
