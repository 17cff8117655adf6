import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for webhook targets: a subscriber URL must not resolve to loopback, private,
 * link-local, unique-local or otherwise non-public addresses, unless the operator allowed it
 * (ALLOW_PRIVATE_WEBHOOK_TARGETS: `true`, or a list of CIDRs, e.g. for the local demo).
 * Pure: the caller resolves names (at connect time, so DNS rebinding cannot slip past).
 */

const NON_PUBLIC_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'ietf-protocol'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const NON_PUBLIC_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'nat64'],
  // Prefixes that embed an IPv4 address a relay or translator may forward to: RFC 8215 local-use
  // NAT64, Teredo (RFC 4380), 6to4 (RFC 3056; 2002:7f00:1::/48 is 127.0.0.1).
  ['64:ff9b:1::', 48, 'nat64-local-use'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

export interface AddressPolicy {
  check(address: string): AddressVerdict;
}

/** `true` allows every non-public address; a list allows only those CIDRs (plus public ones). */
export type PrivateTargetAllowance = boolean | readonly string[];

/** Parses "10.0.0.0/8" or "::1/128" (a bare address means a single host); throws on nonsense. */
export function parseCidr(cidr: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [network = '', bits] = cidr.trim().split('/');
  const version = isIP(network);
  if (version === 0) throw new Error(`not an IP network: "${cidr}"`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
    throw new Error(`bad prefix length in "${cidr}"`);
  return { network, prefix, family };
}

/** Strips brackets and a zone id. IPv4-mapped IPv6 (::ffff:a.b.c.d) is matched by BlockList as the IPv4 it carries. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  const version = isIP(bare);
  if (version === 0) return undefined;
  return { address: bare, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function createAddressPolicy(allow: PrivateTargetAllowance = false): AddressPolicy {
  const reasons: Array<{ list: BlockList; reason: string }> = [];
  for (const [net, prefix, reason] of NON_PUBLIC_V4) {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv4');
    reasons.push({ list, reason });
  }
  for (const [net, prefix, reason] of NON_PUBLIC_V6) {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv6');
    reasons.push({ list, reason });
  }
  const allowed = new BlockList();
  if (Array.isArray(allow)) {
    for (const cidr of allow) {
      const { network, prefix, family } = parseCidr(cidr);
      allowed.addSubnet(network, prefix, family);
    }
  }
  return {
    check(address: string): AddressVerdict {
      const norm = normalise(address);
      if (!norm) return { allowed: false, reason: `not an IP address: ${address}` };
      const hit = reasons.find((r) => r.list.check(norm.address, norm.family));
      if (!hit) return { allowed: true };
      if (allow === true || allowed.check(norm.address, norm.family)) return { allowed: true };
      return {
        allowed: false,
        reason: `${hit.reason} address ${norm.address} is not an allowed webhook target`,
      };
    },
  };
}
