import { isIPv4, isIPv6 } from 'node:net';

/**
 * The source address the sign-in throttle counts by, from `req.ip` (the socket's peer, or with
 * DUBAN_TRUST_PROXY the address the trusted proxies saw). IPv4, and IPv4 mapped into IPv6, as the IPv4
 * address; IPv6 as its /64, since one host commonly holds a whole /64 and would otherwise have 2^64
 * fresh addresses to guess from. Anything else (no address at all) counts as one address, `unknown`.
 */
export function throttleAddress(ip: string | undefined): string {
  const raw = (ip ?? '').trim().replace(/%.*$/, '');
  if (isIPv4(raw)) return raw;
  if (!isIPv6(raw)) return 'unknown';
  const groups = expandIPv6(raw);
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const [hi, lo] = [parseInt(groups[6], 16), parseInt(groups[7], 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, lower case, without leading zeros (an embedded IPv4 tail as two groups). */
function expandIPv6(addr: string): string[] {
  let text = addr.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+/, '') || '0');
}
