import { RegistryDocument } from '@yujing/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, E_DT, E_TY, harness, NOW, TAIYUAN, token } from './route-harness';

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const point = encodeURIComponent(`${E_TY}:CO-BF1-003`);
const operator = () => token('operator', { level: 'city', code: TAIYUAN.city }, { sub: 'op-ty' });

describe('point maintenance (检修): POST/DELETE /api/v1/points/:pointId/maintenance', () => {
  it('adds a window for the point to its enterprise, with who asked and why, and ends it early', async () => {
    h = await harness();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/points/${point}/maintenance`,
      headers: bearer(await operator()),
      payload: { mode: 'out-of-service', durationMs: 2 * 3_600_000, reason: '更换 CO 探头' },
    });
    expect(res.statusCode).toBe(200);
    const { window } = res.json();
    expect(window).toMatchObject({
      mode: 'out-of-service',
      points: ['CO-BF1-003'],
      from: NOW,
      to: NOW + 2 * 3_600_000,
      reason: '更换 CO 探头',
      requestedBy: { id: 'op-ty', role: 'operator' },
    });
    expect(h.writer.published).toHaveLength(1);
    const { doc, changedBy } = h.writer.published[0]!;
    expect(changedBy).toBe('api:op-ty');
    expect(doc.enterprises.map((e) => [e.id, e.maintenanceWindows.map((w) => w.id)])).toEqual([
      [E_TY, [window.id]],
    ]);
    // The registry applies what was published (the real API reads it back from the topic).
    h.store.loadDocument(RegistryDocument.parse({ enterprises: doc.enterprises }));
    const end = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/points/${point}/maintenance`,
      headers: bearer(await operator()),
    });
    expect(end.statusCode).toBe(200);
    // Ended in the very ms it began (the harness clock stands still): it keeps 1 ms, so to > from holds.
    expect(end.json().ended).toMatchObject([{ id: window.id, to: NOW + 1 }]);
    expect(h.writer.published[1]!.doc.enterprises[0]!.maintenanceWindows).toEqual([
      { ...window, to: NOW + 1 },
    ]);
  });

  it('refuses a window beyond the maximum, a regulator, and a point outside the scope', async () => {
    h = await harness();
    const tooLong = await h.app.inject({
      method: 'POST',
      url: `/api/v1/points/${point}/maintenance`,
      headers: bearer(await operator()),
      payload: { mode: 'suppress', durationMs: 8 * 86_400_000, reason: '长期检修' },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.durationMs']);
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city }, { sub: 'reg-ty' });
    const forbidden = await h.app.inject({
      method: 'POST',
      url: `/api/v1/points/${point}/maintenance`,
      headers: bearer(reg),
      payload: { mode: 'suppress', durationMs: 3_600_000, reason: '检修' },
    });
    expect(forbidden.statusCode).toBe(403);
    const elsewhere = await h.app.inject({
      method: 'POST',
      url: `/api/v1/points/${encodeURIComponent(`${E_DT}:CO-BF1-003`)}/maintenance`,
      headers: bearer(await operator()),
      payload: { mode: 'suppress', durationMs: 3_600_000, reason: '检修' },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(h.writer.published).toEqual([]);
  });
});
