import { throttleAddress } from './client-address.js';

describe('the address the sign-in throttle counts by', () => {
  it('keeps IPv4, and takes IPv4 out of an IPv4-mapped IPv6 address', () => {
    expect(throttleAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddress('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(throttleAddress('::FFFF:7f00:1')).toBe('127.0.0.1');
  });

  it('counts IPv6 by its /64, however it is written', () => {
    expect(throttleAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
  });

  it('counts a missing or garbled address as one', () => {
    expect(throttleAddress(undefined)).toBe('unknown');
    expect(throttleAddress('')).toBe('unknown');
    expect(throttleAddress('not an address')).toBe('unknown');
  });
});
