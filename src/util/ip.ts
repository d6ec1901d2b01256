/** IPv4/IPv6 parsing as big integers, for CIDR modifiers and their evaluation. No I/O. */

export interface ParsedIp {
  readonly version: 4 | 6;
  readonly value: bigint;
}

export function parseIp(text: string): ParsedIp | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v6 = parseIpv6(t);
    return v6 === undefined ? undefined : { version: 6, value: v6 };
  }
  const v4 = parseIpv4(t);
  return v4 === undefined ? undefined : { version: 4, value: v4 };
}

function parseIpv4(t: string): bigint | undefined {
  const parts = t.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(t: string): bigint | undefined {
  let text = t;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (length >= 2), as Python's ipaddress does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
  readonly first: bigint;
  readonly last: bigint;
}

export type CidrResult = { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly message: string };

export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const ip = parseIp(addrText);
  if (!ip) return { ok: false, message: `"${text}" is not an IPv4 or IPv6 network` };
  const bits = ip.version === 4 ? 32 : 128;
  const prefixText = slash >= 0 ? text.slice(slash + 1) : String(bits);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { ok: false, message: `"${text}" has an invalid prefix length` };
  }
  const prefixLength = Number(prefixText);
  const hostBits = BigInt(bits - prefixLength);
  const hostMask = (1n << hostBits) - 1n;
  if ((ip.value & hostMask) !== 0n) return { ok: false, message: `${text} has host bits set` };
  return { ok: true, cidr: { version: ip.version, network: ip.value, prefixLength, first: ip.value, last: ip.value | hostMask } };
}

export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  return ip.version === c.version && ip.value >= c.first && ip.value <= c.last;
}
