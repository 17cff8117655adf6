import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  HEADER_DELIVERY,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  signWebhook,
  verifyWebhook,
} from '../src/index';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"event":"alarm.raised"}';
const NOW_MS = 1_764_295_200_000;

describe('computeSignature', () => {
  it('matches an HMAC-SHA256 computed independently with openssl over "timestamp.body"', () => {
    // printf '%s' '1764295200.{"event":"alarm.raised"}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789abcdef'
    expect(computeSignature(SECRET, 1_764_295_200, BODY)).toBe(
      'sha256=d4978549b517d518c1a198bd78a23d0c2ee32548fc646f1a76f36437ea1c9d93',
    );
  });

  it('gives the same result for a string and a Buffer body', () => {
    expect(computeSignature(SECRET, 1, Buffer.from(BODY))).toBe(computeSignature(SECRET, 1, BODY));
  });
});

describe('signWebhook → verifyWebhook', () => {
  const headers = signWebhook({
    secret: SECRET,
    body: BODY,
    event: 'alarm.raised',
    deliveryId: 'd-1',
    nowMs: NOW_MS,
  });

  it('accepts what it signed and returns the delivery id', () => {
    const res = verifyWebhook({ secret: SECRET, body: BODY, headers, nowMs: NOW_MS + 2_000 });
    expect(res).toEqual({ ok: true, timestampSec: NOW_MS / 1000, deliveryId: 'd-1', event: 'alarm.raised' });
  });

  it('accepts Fetch Headers and mixed-case plain headers', () => {
    const fetchHeaders = new Headers(headers);
    expect(verifyWebhook({ secret: SECRET, body: BODY, headers: fetchHeaders, nowMs: NOW_MS }).ok).toBe(true);
    const mixed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook({ secret: SECRET, body: BODY, headers: mixed, nowMs: NOW_MS }).ok).toBe(true);
  });

  it('accepts any of several secrets during a rotation', () => {
    const res = verifyWebhook({
      secret: ['old-secret-xxxxxxxxxxxx', SECRET],
      body: BODY,
      headers,
      nowMs: NOW_MS,
    });
    expect(res.ok).toBe(true);
  });

  const cases: Array<[string, Parameters<typeof verifyWebhook>[0], string]> = [
    ['a tampered body', { secret: SECRET, body: `${BODY} `, headers, nowMs: NOW_MS }, 'signature-mismatch'],
    [
      'a wrong secret',
      { secret: 'another-secret-0000000', body: BODY, headers, nowMs: NOW_MS },
      'signature-mismatch',
    ],
    [
      'a changed timestamp (signature bound to it)',
      {
        secret: SECRET,
        body: BODY,
        headers: { ...headers, [HEADER_TIMESTAMP]: String(NOW_MS / 1000 + 1) },
        nowMs: NOW_MS,
      },
      'signature-mismatch',
    ],
    [
      'a replay after the window',
      { secret: SECRET, body: BODY, headers, nowMs: NOW_MS + 301_000 },
      'timestamp-out-of-tolerance',
    ],
    [
      'a timestamp from the future',
      { secret: SECRET, body: BODY, headers, nowMs: NOW_MS - 301_000 },
      'timestamp-out-of-tolerance',
    ],
    [
      'a narrower tolerance',
      { secret: SECRET, body: BODY, headers, nowMs: NOW_MS + 11_000, toleranceSec: 10 },
      'timestamp-out-of-tolerance',
    ],
    [
      'no signature',
      { secret: SECRET, body: BODY, headers: { ...headers, [HEADER_SIGNATURE]: undefined }, nowMs: NOW_MS },
      'missing-signature',
    ],
    [
      'a signature without sha256=',
      {
        secret: SECRET,
        body: BODY,
        headers: { ...headers, [HEADER_SIGNATURE]: headers[HEADER_SIGNATURE]?.slice(7) },
        nowMs: NOW_MS,
      },
      'malformed-signature',
    ],
    [
      'a short signature',
      {
        secret: SECRET,
        body: BODY,
        headers: { ...headers, [HEADER_SIGNATURE]: 'sha256=abcd' },
        nowMs: NOW_MS,
      },
      'malformed-signature',
    ],
    [
      'no timestamp',
      { secret: SECRET, body: BODY, headers: { ...headers, [HEADER_TIMESTAMP]: undefined }, nowMs: NOW_MS },
      'missing-timestamp',
    ],
    [
      'a non-numeric timestamp',
      {
        secret: SECRET,
        body: BODY,
        headers: { ...headers, [HEADER_TIMESTAMP]: '2026-11-28' },
        nowMs: NOW_MS,
      },
      'malformed-timestamp',
    ],
  ];
  it.each(cases)('refuses %s', (_label, opts, reason) => {
    expect(verifyWebhook(opts)).toEqual({ ok: false, reason });
  });

  it('exposes the delivery id header for idempotency', () => {
    expect(headers[HEADER_DELIVERY]).toBe('d-1');
  });
});
