/**
 * An IPv4 CIDR block as wildcard patterns over dotted-quad text, for engines that store addresses as
 * strings (Graylog's keyword fields, LogPoint): `10.0.0.0/8` → `10.*`, `172.16.0.0/12` → `172.16.*` …
 * `172.31.*`. Exact for canonical dotted quads (no leading zeros); at most 128 patterns.
 */
import type { Pattern } from '../../ir/types';

const STAR = { wildcard: '*' } as const;

export function ipv4CidrPatterns(network: string, prefixLength: number): Pattern[] | undefined {
  const octets = network.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  if (prefixLength === 0) return [[STAR]];
  const full = Math.floor(prefixLength / 8);
  const rest = prefixLength % 8;
  const fixed = octets.slice(0, full);
  if (rest === 0) {
    return full === 4 ? [[fixed.join('.')]] : [[`${fixed.join('.')}.`, STAR]];
  }
  const base = octets[full]!;
  const count = 1 << (8 - rest);
  const out: Pattern[] = [];
  for (let v = base; v < base + count; v++) {
    const head = [...fixed, v].join('.');
    out.push(full === 3 ? [head] : [`${head}.`, STAR]);
  }
  return out;
}
