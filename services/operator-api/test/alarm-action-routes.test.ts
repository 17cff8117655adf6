import { afterEach, describe, expect, it } from 'vitest';
import { alarmEvent, bearer, E_TY, harness, TAIYUAN, token } from './route-harness';

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const raised = alarmEvent(E_TY);
const url = (action: string) => `/api/v1/alarms/${encodeURIComponent(raised.alarmId)}/${action}`;
const operator = () => token('operator', { level: 'province', code: '140000' }, { sub: 'op-1' });
const regulator = () => token('regulator', { level: 'city', code: TAIYUAN.city }, { sub: 'reg-ty' });

describe('POST /api/v1/alarms/:id/{action}', () => {
  it('sends an AlarmCommand with the caller as actor and answers 200 with the transition', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    h.bus.answer = () => ({
      result: { ok: true },
      transition: { transition: 'ack', state: 'active-ack', seq: 2 },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: url('ack'),
      headers: bearer(await operator()),
      payload: { comment: '现场已确认' },
    });
    expect(res.statusCode).toBe(200);
    expect(h.bus.sent).toHaveLength(1);
    expect(h.bus.sent[0]).toMatchObject({
      alarmId: raised.alarmId,
      enterpriseId: E_TY,
      action: 'ack',
      actor: { id: 'op-1', role: 'operator' },
      comment: '现场已确认',
    });
    const body = res.json();
    expect(body).toMatchObject({
      status: 'applied',
      commandId: h.bus.sent[0]?.commandId,
      result: { ok: true },
    });
    expect(body.transition).toMatchObject({ transition: 'ack', state: 'active-ack', actor: { id: 'op-1' } });
  });

  it('answers 409 when the worker refuses closing before verification', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    h.bus.answer = () => ({
      result: { ok: false, code: 'YJ_ERR_ALARM_LOOP_ORDER', message: 'close needs verify first' },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: url('close'),
      headers: bearer(await regulator()),
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'YJ_ERR_ALARM_LOOP_ORDER', detail: 'close needs verify first' });
  });

  it('answers 202 with a Location when the worker does not answer within the bound', async () => {
    h = await harness({ commandWaitMs: 50 });
    h.history.alarms.push(raised);
    const res = await h.app.inject({
      method: 'POST',
      url: url('verify'),
      headers: bearer(await regulator()),
      payload: {},
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/alarms/${encodeURIComponent(raised.alarmId)}`);
    expect(res.json().status).toBe('pending');
  });

  it('forbids a regulator to acknowledge (role × action) without sending anything', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    const res = await h.app.inject({
      method: 'POST',
      url: url('ack'),
      headers: bearer(await regulator()),
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('YJ_ERR_AUTH_FORBIDDEN');
    expect(h.bus.sent).toHaveLength(0);
  });

  it('forbids an enterprise to act on another enterprise’s alarm (scope)', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    const other = await token('enterprise', { level: 'enterprise', code: '140213DT001' });
    // ack is an enterprise action, so the refusal here can only come from the scope.
    const res = await h.app.inject({
      method: 'POST',
      url: url('ack'),
      headers: bearer(other),
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(h.bus.sent).toHaveLength(0);
  });

  it('answers 404 for an unknown alarm', async () => {
    h = await harness();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/alarms/140105TY001:NOPE:r:1/ack',
      headers: bearer(await operator()),
      payload: {},
    });
    expect(res.statusCode).toBe(404);
  });

  it('names durationMs and reason when a shelve body lacks them', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    const res = await h.app.inject({
      method: 'POST',
      url: url('shelve'),
      headers: bearer(await operator()),
      payload: { durationMs: 10 },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.durationMs', 'body.reason']));
  });

  it('feedback (反馈) needs its text and forwards attachments by reference', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    const bare = await h.app.inject({
      method: 'POST',
      url: url('feedback'),
      headers: bearer(await operator()),
      payload: { attachments: [{ name: 'a.jpg', ref: 'docstore://x' }] },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.comment']);
    expect(h.bus.sent).toHaveLength(0);
    h.bus.answer = () => ({ result: { ok: true }, transition: { transition: 'feedback', seq: 4 } });
    const photo = { name: '整改后照片.jpg', ref: 'docstore://loops/1/after.jpg', mediaType: 'image/jpeg' };
    const res = await h.app.inject({
      method: 'POST',
      url: url('feedback'),
      headers: bearer(await operator()),
      payload: { comment: '已更换密封垫，复测 8 ppm', attachments: [photo] },
    });
    expect(res.statusCode).toBe(200);
    expect(h.bus.sent[0]).toMatchObject({
      action: 'feedback',
      comment: '已更换密封垫，复测 8 ppm',
      attachments: [photo],
    });
  });

  it('maps a worker 403 refusal and an unknown refusal code', async () => {
    h = await harness();
    h.history.alarms.push(raised);
    h.bus.answer = () => ({ result: { ok: false, code: 'YJ_ERR_ALARM_FORBIDDEN' } });
    const a = await h.app.inject({
      method: 'POST',
      url: url('comment'),
      headers: bearer(await operator()),
      payload: { comment: 'x' },
    });
    expect(a.statusCode).toBe(403);
    h.bus.answer = () => ({ result: { ok: false, code: 'YJ_ERR_ALARM_SOMETHING_NEW' } });
    const b = await h.app.inject({
      method: 'POST',
      url: url('comment'),
      headers: bearer(await operator()),
      payload: { comment: 'x' },
    });
    expect(b.statusCode).toBe(422);
  });
});
