import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is not on the public internet; null for a public (global unicast) one. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

export const ADDRESS_CLASS_LABEL: Record<AddressClass, string> = {
  unspecified: '未指定地址',
  loopback: '回环地址',
  private: '私有网络地址',
  shared: '运营商共享地址（100.64.0.0/10）',
  'link-local': '链路本地地址',
  metadata: '云主机元数据地址',
  multicast: '组播地址',
  broadcast: '广播地址',
  documentation: '文档示例地址',
  reserved: '保留地址',
};

type Range4 = [number, number, AddressClass];
const cidr4 = (a: number, b: number, c: number, d: number, bits: number, cls: AddressClass): Range4 => {
  const start = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const size = 2 ** (32 - bits);
  return [start, start + size - 1, cls];
};

// The cloud metadata services first (inside the wider ranges below): AWS, GCP, Azure, OpenStack, Tencent
// (169.254.0.23), Alibaba (100.100.100.200), ECS task metadata (169.254.170.2).
const METADATA4 = ['169.254.169.254', '169.254.170.2', '169.254.0.23', '100.100.100.200'];
const RANGES4: Range4[] = [
  cidr4(0, 0, 0, 0, 8, 'unspecified'),
  cidr4(10, 0, 0, 0, 8, 'private'),
  cidr4(100, 64, 0, 0, 10, 'shared'),
  cidr4(127, 0, 0, 0, 8, 'loopback'),
  cidr4(169, 254, 0, 0, 16, 'link-local'),
  cidr4(172, 16, 0, 0, 12, 'private'),
  cidr4(192, 0, 0, 0, 24, 'reserved'),
  cidr4(192, 0, 2, 0, 24, 'documentation'),
  cidr4(192, 88, 99, 0, 24, 'reserved'),
  cidr4(192, 168, 0, 0, 16, 'private'),
  cidr4(198, 18, 0, 0, 15, 'reserved'),
  cidr4(198, 51, 100, 0, 24, 'documentation'),
  cidr4(203, 0, 113, 0, 24, 'documentation'),
  cidr4(224, 0, 0, 0, 4, 'multicast'),
  cidr4(255, 255, 255, 255, 32, 'broadcast'),
  cidr4(240, 0, 0, 0, 4, 'reserved'),
];

function ipv4Number(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** An IPv6 address as its eight 16-bit groups (an embedded dotted IPv4 tail accepted), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Number(v4[1]);
    if (n === null) return null;
    text = `${text.slice(0, -v4[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

function classify4(n: number): AddressClass | null {
  return RANGES4.find(([lo, hi]) => n >= lo && n <= hi)?.[2] ?? null;
}

function classify6(g: number[]): AddressClass | null {
  const embedded = (hi: number, lo: number) => classifyAddress(`${hi >>> 8}.${hi & 0xff}.${lo >>> 8}.${lo & 0xff}`);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address they carry.
  if (zeroTo(5) && g[5] === 0xffff) return embedded(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6], g[7]);
  // 6to4 (2002:aabb:ccdd::) routes to the IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return embedded(g[1], g[2]) ?? null;
  if (zeroTo(6)) return 'reserved'; // IPv4-compatible (::a.b.c.d), deprecated
  // AWS's metadata service over IPv6.
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'metadata';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local, deprecated
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo: the IPv4 end is hidden in it
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved'; // outside 2000::/3, the global unicast space
  return null;
}

/**
 * The class of a literal IPv4 or IPv6 address (brackets and a zone allowed) that is not public, or null when it
 * is a public, global unicast one. Anything that is not an address at all is 'reserved': never reachable.
 */
export function classifyAddress(address: string): AddressClass | null {
  const ip = address.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(ip)) {
    if (METADATA4.includes(ip)) return 'metadata';
    const n = ipv4Number(ip);
    return n === null ? 'reserved' : classify4(n);
  }
  const groups = isIPv6(ip.replace(/%.*$/, '')) ? ipv6Groups(ip) : null;
  return groups ? classify6(groups) : 'reserved';
}

/** Is the host (as `URL.hostname` gives it) a literal address rather than a name? */
export function isAddressLiteral(hostname: string): boolean {
  const ip = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIPv4(ip) || isIPv6(ip);
}

/** A host an operator lets webhooks reach: the name or address as `URL.hostname` gives it, and a port or none. */
export interface AllowedHost {
  hostname: string;
  /** null: only the scheme's default port (80 for http, 443 for https). */
  port: string | null;
}

/**
 * A comma-separated list of `host` or `host:port` (`[v6]:port` for IPv6), normalised as a URL's host is (so
 * `0x7f000001` is `127.0.0.1`), with a message for each entry that is not a plain host.
 */
export function parseAllowedHosts(text: string): { hosts: AllowedHost[]; problems: string[] } {
  const hosts: AllowedHost[] = [];
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
    let url: URL | null = null;
    try {
      url = m ? new URL(`http://${m[1]}/`) : null;
    } catch {
      url = null;
    }
    const port = m?.[2] ?? null;
    const plain = url && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
    if (!url || !plain || (port !== null && (Number(port) < 1 || Number(port) > 65535))) {
      problems.push(`"${entry}" is not a host or host:port`);
      continue;
    }
    hosts.push({ hostname: url.hostname, port: port === null ? null : String(Number(port)) });
  }
  return { hosts, problems };
}
