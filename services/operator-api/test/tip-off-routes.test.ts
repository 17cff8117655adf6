import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, harness, token } from './route-harness';

const REPORT = {
  county: '140105',
  enterpriseName: '小店某铝粉厂',
  description: '除尘器没有泄爆片，粉尘堆积很厚',
};

/** POST /public/v1/tip-offs: no token, anonymous allowed, limited per address, stored pending. */
describe('举报 intake', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({ tipOffLimits: { perIpPerHour: 2, totalPerHour: 3 } });
  });
  afterAll(async () => {
    await h.app.close();
  });
  const post = (payload: object, ip = '203.0.113.7') =>
    h.app.inject({ method: 'POST', url: '/public/v1/tip-offs', payload, remoteAddress: ip });

  it('stores an anonymous report as pending without a token', async () => {
    const res = await post(REPORT);
    expect(res.statusCode, res.payload).toBe(202);
    const stored = h.supervision.tipOff(res.json().id);
    expect(stored).toMatchObject({ status: 'pending', county: '140105' });
    expect(stored?.contact).toBeUndefined();
  });

  it('names the field of a bad report', async () => {
    const res = await post({ ...REPORT, description: '短' }, '203.0.113.9');
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('body.description');
  });

  it('refuses a body beyond 16 KiB before parsing it', async () => {
    const res = await post({ ...REPORT, description: 'x'.repeat(20_000) }, '203.0.113.10');
    expect(res.statusCode).toBe(413);
  });

  it('refuses the address beyond its hourly limit, then everyone beyond the total', async () => {
    expect((await post(REPORT)).statusCode).toBe(202);
    const third = await post(REPORT);
    expect(third.statusCode).toBe(429);
    expect(third.json().code).toBe('YJ_ERR_TIP_OFF_RATE_LIMITED');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // Three from 203.0.113.7 (the refused one counts too; the invalid one never reached the limiter) = the total of 3.
    expect((await post(REPORT, '198.51.100.1')).statusCode).toBe(429);
  });

  it('is listed to the county regulator only, not to another county', async () => {
    const own = await h.app.inject({
      url: '/api/v1/tip-offs',
      headers: bearer(await token('regulator', { level: 'county', code: '140105' })),
    });
    expect(own.json().count).toBe(2);
    const other = await h.app.inject({
      url: '/api/v1/tip-offs',
      headers: bearer(await token('regulator', { level: 'county', code: '140213' })),
    });
    expect(other.json().count).toBe(0);
  });
});
