import { describe, expect, it } from 'vitest';
import { signAckLink, verifyAckLink } from '../src/ack-link-token';

/** One-time acknowledge link tokens (docs/notifications.md): pure. */
describe('acknowledge link tokens', () => {
  const key = 'k'.repeat(32);
  const claims = {
    alarmId: 'a:b:c:1',
    enterpriseId: '140105MD01',
    personId: 'wang',
    personName: '王',
    role: 'enterprise' as const,
    nonce: 'dlv-1',
    exp: 2_000,
  };
  it('verifies its own tokens and refuses forged, altered, expired or malformed ones', () => {
    const token = signAckLink(key, claims);
    expect(verifyAckLink(key, token, 1_000)).toEqual({ ok: true, claims });
    expect(verifyAckLink('x'.repeat(32), token, 1_000)).toEqual({ ok: false, reason: 'bad-signature' });
    const [part = '', mac = ''] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, alarmId: 'other' })).toString('base64url');
    expect(verifyAckLink(key, `${altered}.${mac}`, 1_000)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAckLink(key, token, 2_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAckLink(key, part, 1_000)).toEqual({ ok: false, reason: 'malformed' });
    // A last character differing only in the unused low bits decodes to the same MAC bytes: refused too.
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = B64URL[B64URL.indexOf(mac.slice(-1)) + 1] ?? '';
    const twin = `${part}.${mac.slice(0, -1)}${sibling}`;
    expect(Buffer.from(twin.split('.')[1] ?? '', 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    expect(verifyAckLink(key, twin, 1_000)).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
