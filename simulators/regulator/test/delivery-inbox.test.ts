import type { WebhookPayload } from '@yujing/schemas';
import { signWebhook } from '@yujing/webhook-signature';
import { describe, expect, it } from 'vitest';
import { DeliveryInbox } from '../src/delivery-inbox';
import { formatDeliveryLine } from '../src/delivery-line';
import { listenAddressesOf } from '../src/regulator-server';

const NOW = 1_800_000_000_000;
const sub = {
  id: 'sub-city',
  url: 'http://127.0.0.1:9811/hooks/city',
  secret: 'whsec_test_0123456789abcdef',
};
const payload: WebhookPayload = {
  event: 'alarm.raised',
  deliveryId: 'd-1',
  sentAt: NOW,
  alarm: {
    alarmId: '140105X01:CO-1:co-limits:1',
    enterpriseId: '140105X01',
    point: 'CO-1',
    rule: 'co-limits',
    kind: 'threshold',
    level: 1,
    state: 'active-unack',
    loop: 'open',
    transition: 'raise',
    value: 200,
    limit: 160,
    eventTime: NOW,
    emittedAt: NOW,
    episodeStart: NOW,
    seq: 0,
  },
};

function request(
  over: { body?: string; secret?: string; deliveryId?: string; path?: string; timestampSec?: number } = {},
) {
  const body = over.body ?? JSON.stringify(payload);
  const headers = signWebhook({
    secret: over.secret ?? sub.secret,
    body,
    event: 'alarm.raised',
    deliveryId: over.deliveryId ?? 'd-1',
    nowMs: (over.timestampSec ?? NOW / 1000) * 1000,
  });
  return { path: over.path ?? '/hooks/city', headers: lower(headers), body: Buffer.from(body), nowMs: NOW };
}
const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe('DeliveryInbox', () => {
  it('accepts a signed delivery once and acknowledges its retry as a duplicate', () => {
    const inbox = new DeliveryInbox({ subscriptions: [sub] });
    const first = inbox.handle(request());
    expect(first.status).toBe(200);
    expect(first.record).toMatchObject({
      outcome: 'accepted',
      subscriptionId: 'sub-city',
      deliveryId: 'd-1',
      attempt: 1,
    });
    expect(first.record.payload?.alarm.alarmId).toBe(payload.alarm.alarmId);
    const again = inbox.handle(request());
    expect(again).toMatchObject({ status: 200, record: { outcome: 'duplicate', attempt: 2 } });
  });

  it.each([
    ['a wrong secret', { secret: 'whsec_other_0123456789abcdef' }, 401, 'signature: signature-mismatch'],
    ['a stale timestamp', { timestampSec: NOW / 1000 - 3600 }, 401, 'signature: timestamp-out-of-tolerance'],
    ['an unknown path', { path: '/hooks/nobody' }, 404, 'no subscription listens on /hooks/nobody'],
    ['a body that is not JSON', { body: 'not json' }, 400, 'body is not JSON'],
    [
      'a payload without alarm',
      { body: JSON.stringify({ ...payload, alarm: undefined }) },
      400,
      'payload: alarm',
    ],
  ])('rejects %s with a reason and records it', (_what, over, status, reason) => {
    const res = new DeliveryInbox({ subscriptions: [sub] }).handle(request(over));
    expect(res.status).toBe(status);
    expect(res.record.outcome).toBe('rejected');
    expect(res.record.reason).toContain(reason);
  });

  it('fails the first N attempts on purpose, then accepts the same delivery', () => {
    const inbox = new DeliveryInbox({ subscriptions: [sub], failFirst: 2 });
    expect(inbox.handle(request()).status).toBe(503);
    expect(inbox.handle(request()).status).toBe(503);
    expect(inbox.handle(request()).record).toMatchObject({ outcome: 'accepted', attempt: 3 });
  });

  it('prints one line with level, alarm and delivery id', () => {
    const res = new DeliveryInbox({ subscriptions: [sub] }).handle(request());
    const line = formatDeliveryLine(res.record, false);
    expect(line).toContain('sub-city alarm.raised');
    expect(line).toContain('L1 一级/红');
    expect(line).toContain('140105X01:CO-1 co-limits');
    expect(line).toContain('delivery=d-1');
  });
});

describe('listenAddressesOf', () => {
  it('listens once per host and port', () => {
    expect(
      listenAddressesOf(['http://127.0.0.1:9811/a', 'http://127.0.0.1:9811/b', 'http://localhost:9812/c']),
    ).toEqual([
      { host: '127.0.0.1', port: 9811 },
      { host: 'localhost', port: 9812 },
    ]);
  });
});
