import { signAckLink } from '@yujing/webhook-signature';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckLinkNonces } from '../src/collaborators';
import { alarmEvent, E_TY, harness, NOW } from './route-harness';

/** One-time acknowledge links: signed by the dispatcher, verified here, acknowledged through the command bus. */
const KEY = 'ack-link-test-key-0123456789abcdef';

/** The API's own nonce interface, in memory (the Redis one is exercised in the dispatcher's integration test). */
class MemoryNonces implements AckLinkNonces {
  readonly used = new Set<string>();
  async consume(nonce: string) {
    if (this.used.has(nonce)) return false;
    this.used.add(nonce);
    return true;
  }
  async release(nonce: string) {
    this.used.delete(nonce);
  }
}

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const raised = alarmEvent(E_TY);
const claims = {
  alarmId: raised.alarmId,
  enterpriseId: E_TY,
  personId: 'wang-anquan',
  personName: '王安全',
  role: 'enterprise' as const,
  nonce: 'dlv-0001',
  exp: NOW + 3_600_000,
};

async function start() {
  const nonces = new MemoryNonces();
  h = await harness({ ackLinks: { secret: KEY, nonces } });
  h.bus.answer = () => ({
    result: { ok: true },
    transition: { transition: 'ack', state: 'active-ack', seq: 2 },
  });
  return { h, nonces };
}

describe('/ack-links?token=', () => {
  it('GET shows a zh-CN confirmation page and acknowledges nothing', async () => {
    const { h } = await start();
    const res = await h.app.inject({ method: 'GET', url: `/ack-links?token=${signAckLink(KEY, claims)}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('王安全，您将确认报警');
    expect(res.body).toContain('<form method="post">');
    expect(h.bus.sent).toHaveLength(0);
  });

  it('POST acknowledges once as the person, through the command bus; the same link again is 409', async () => {
    const { h } = await start();
    const url = `/ack-links?token=${signAckLink(KEY, claims)}`;
    const res = await h.app.inject({ method: 'POST', url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ alarmId: raised.alarmId, status: 'acknowledged' });
    expect(h.bus.sent).toHaveLength(1);
    expect(h.bus.sent[0]).toMatchObject({
      alarmId: raised.alarmId,
      enterpriseId: E_TY,
      action: 'ack',
      actor: { id: 'person:wang-anquan', role: 'enterprise', name: '王安全' },
    });
    const again = await h.app.inject({ method: 'POST', url });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'YJ_ERR_ACK_LINK_USED' });
    expect(h.bus.sent).toHaveLength(1);
  });

  it('refuses a forged, an altered and an expired link with a clear 4xx, sending nothing', async () => {
    const { h } = await start();
    const forged = signAckLink('another-key-0123456789abcdef-xyz!', claims);
    const [, mac] = signAckLink(KEY, claims).split('.');
    const altered = `${Buffer.from(JSON.stringify({ ...claims, alarmId: 'x:y:z:1' })).toString('base64url')}.${mac}`;
    const expired = signAckLink(KEY, { ...claims, exp: NOW - 1 });
    for (const [token, status, code] of [
      [forged, 403, 'YJ_ERR_ACK_LINK_INVALID'],
      [altered, 403, 'YJ_ERR_ACK_LINK_INVALID'],
      ['not-a-token-at-all', 403, 'YJ_ERR_ACK_LINK_INVALID'],
      [expired, 410, 'YJ_ERR_ACK_LINK_EXPIRED'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: `/ack-links?token=${token}` });
      expect(res.statusCode, code).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code });
    }
    expect(h.bus.sent).toHaveLength(0);
  });

  it('a refusal by the rules-worker (already acknowledged) is a 409 naming its code', async () => {
    const { h } = await start();
    h.bus.answer = () => ({
      result: { ok: false, code: 'YJ_ERR_ALARM_NOT_ACKABLE', message: 'already acknowledged' },
    });
    const res = await h.app.inject({ method: 'POST', url: `/ack-links?token=${signAckLink(KEY, claims)}` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 'refused', code: 'YJ_ERR_ALARM_NOT_ACKABLE' });
  });

  it('without ACK_LINK_SECRET the routes do not exist', async () => {
    h = await harness();
    const res = await h.app.inject({ method: 'POST', url: `/ack-links?token=${signAckLink(KEY, claims)}` });
    expect(res.statusCode).toBe(404);
  });
});
