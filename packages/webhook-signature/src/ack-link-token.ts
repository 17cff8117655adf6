import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One-time acknowledge links (确认链接) in notification messages: the alert dispatcher signs
 * what the link may do (acknowledge one alarm, as one person, until an expiry) and operator-api
 * verifies it with the same key. The signature proves the link was issued by the dispatcher;
 * the nonce (the delivery id) is what operator-api marks as used, so the link works only once.
 *
 * Token: base64url(JSON claims) "." base64url(HMAC-SHA256(key, "yj-ack-v1." + claims part)).
 */

export interface AckLinkClaims {
  /** The alarm to acknowledge. */
  alarmId: string;
  enterpriseId: string;
  /** Registry person id of the recipient; the acknowledgement is made in their name. */
  personId: string;
  personName: string;
  /** Actor role: 'enterprise' for enterprise staff, 'operator' for regional duty officers (值班员). */
  role: 'enterprise' | 'operator';
  /** One-time nonce: the delivery id of the message that carried the link. */
  nonce: string;
  /** Expiry, epoch ms. */
  exp: number;
}

export type AckLinkVerdict =
  | { ok: true; claims: AckLinkClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const DOMAIN = 'yj-ack-v1.';

const mac = (key: string, part: string) =>
  createHmac('sha256', key)
    .update(DOMAIN + part)
    .digest('base64url');

export function signAckLink(key: string, claims: AckLinkClaims): string {
  const part = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${part}.${mac(key, part)}`;
}

const isClaims = (v: unknown): v is AckLinkClaims => {
  const c = v as Record<string, unknown> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    ['alarmId', 'enterpriseId', 'personId', 'personName', 'nonce'].every(
      (k) => typeof c[k] === 'string' && (c[k] as string).length > 0,
    ) &&
    (c.role === 'enterprise' || c.role === 'operator') &&
    typeof c.exp === 'number'
  );
};

/** Checks signature then expiry; never throws. Whether the nonce was used is the caller's check. */
export function verifyAckLink(key: string, token: string, nowMs: number): AckLinkVerdict {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const part = token.slice(0, dot);
  // The canonical base64url text, not its decoded bytes: a last character differing only in its
  // unused bits would decode to the same MAC, and an altered link must never pass.
  const given = Buffer.from(token.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, part), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (nowMs >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
