import { classifyAddress, isAddressLiteral, parseAllowedHosts } from './net-address.js';

const host = (u: string) => new URL(u).hostname;

describe('network addresses', () => {
  it('names every address that is not on the public internet', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private'],
      ['fd12:3456::1', 'private'],
      ['fec0::1', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.127.255.254', 'shared'],
      ['169.254.1.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['169.254.169.254', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['169.254.170.2', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.1', 'documentation'],
      ['2001:db8::1', 'documentation'],
      // IPv4 inside IPv6: mapped, NAT64, 6to4, IPv4-compatible, Teredo.
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:a9fe:a9fe', 'metadata'],
      ['::ffff:10.0.0.1', 'private'],
      ['64:ff9b::7f00:1', 'loopback'],
      ['2002:7f00:1::1', 'loopback'],
      ['2002:c0a8:101::', 'private'],
      ['::127.0.0.1', 'reserved'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
      ['not an address', 'reserved'],
      ['01.2.3.4', 'reserved'],
    ];
    for (const [ip, cls] of cases) expect([ip, classifyAddress(ip)]).toEqual([ip, cls]);
  });

  it('passes public addresses', () => {
    const publicOnes = ['101.91.42.229', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2408:8756:c52:1aec::1'];
    for (const ip of [...publicOnes, '::ffff:8.8.8.8', '2002:808:808::1', '64:ff9b::808:808']) {
      expect([ip, classifyAddress(ip)]).toEqual([ip, null]);
    }
  });

  it('classifies the spellings a URL normalises: hex, decimal, octal, short and bracketed forms', () => {
    const spellings = ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/'];
    for (const u of [...spellings, 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:0:0:1]/']) {
      expect([u, classifyAddress(host(u))]).toEqual([u, 'loopback']);
    }
    expect(isAddressLiteral(host('http://0x7f000001/'))).toBe(true);
    expect(isAddressLiteral(host('http://[::1]/'))).toBe(true);
    expect(isAddressLiteral('localhost')).toBe(false);
  });

  it('reads an allow-list of hosts and ports, normalised as URLs are', () => {
    const list = ' qyapi.weixin.qq.com, oapi.dingtalk.com ,127.0.0.1:4100, [::1]:80, 0x7f000001:9 ';
    expect(parseAllowedHosts(list)).toEqual({
      hosts: [
        { hostname: 'qyapi.weixin.qq.com', port: null },
        { hostname: 'oapi.dingtalk.com', port: null },
        { hostname: '127.0.0.1', port: '4100' },
        { hostname: '[::1]', port: '80' },
        { hostname: '127.0.0.1', port: '9' },
      ],
      problems: [],
    });
    expect(parseAllowedHosts('Robot.Example.CN').hosts).toEqual([{ hostname: 'robot.example.cn', port: null }]);
    expect(parseAllowedHosts('a/b, u@h, h:0, h:70000, h?x, :80').problems).toHaveLength(6);
  });
});
