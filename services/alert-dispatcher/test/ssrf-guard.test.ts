import { describe, expect, it } from 'vitest';
import { createAddressPolicy, parseCidr } from '../src/ssrf-guard';

describe('SSRF guard: default policy', () => {
  const policy = createAddressPolicy(false);
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['0.0.0.0', 'this-network'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    // Transition prefixes that carry an IPv4 address (issue #14 hole 8): 6to4 of 127.0.0.1, Teredo, local NAT64.
    ['2002:7f00:1::1', '6to4'],
    ['2002:a00:1::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['64:ff9b:1::a00:1', 'nat64'],
  ])('rejects %s (%s)', (address, reason) => {
    const verdict = policy.check(address);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.reason).toContain(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2400:3200::1', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(policy.check(address)).toEqual({ allowed: true });
    },
  );

  it('rejects something that is not an IP address', () => {
    expect(policy.check('localhost').allowed).toBe(false);
  });
});

describe('SSRF guard: allowances', () => {
  it('`true` allows every non-public address', () => {
    const policy = createAddressPolicy(true);
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('10.0.0.1').allowed).toBe(true);
  });

  it('a CIDR list allows exactly those ranges', () => {
    const policy = createAddressPolicy(['127.0.0.0/8', '10.20.0.0/16', '::1']);
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('::1').allowed).toBe(true);
    expect(policy.check('10.20.3.4').allowed).toBe(true);
    expect(policy.check('10.21.3.4').allowed).toBe(false);
    expect(policy.check('192.168.0.1').allowed).toBe(false);
    expect(policy.check('169.254.169.254').allowed).toBe(false);
  });

  it.each(['10.0.0.0/33', 'nonsense', '10.0.0/8', 'fe80::/129'])('parseCidr refuses %s', (cidr) => {
    expect(() => parseCidr(cidr)).toThrow();
  });
});
