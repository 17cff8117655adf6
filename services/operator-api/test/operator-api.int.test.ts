import { TOPICS, topicName } from '@yujing/kafka';
import { alarmEventRow, createIlpSender, gatewayStatusRow, tableNames, walApplied } from '@yujing/questdb';
import type { AlarmCommand, AlarmTransitionEvent } from '@yujing/schemas';
import { serviceEnv, TopicCollector, waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealStackApi, startRealStackApi } from './real-stack-api';
import { alarmEvent, E_DT, E_TY, TAIYUAN, token } from './route-harness';

/** Commands and history through the API wired to the real Kafka, QuestDB and Redis (streams: alarm-streams.int.test.ts). */
let s: RealStackApi;

beforeAll(async () => {
  s = await startRealStackApi('api');
});

afterAll(async () => {
  await s?.stop();
});

describe('operator-api against the real stack', () => {
  it('turns an ack into an AlarmCommand and answers 200 with the transition the worker emits', async () => {
    const raised = alarmEvent(E_TY, { alarmId: `${E_TY}:CO-BF1-003:co-high:${Date.now() + 1}` });
    await s.sendAlarm(raised);
    await waitFor(() => s.hub.latest(raised.alarmId), { message: 'raised alarm not consumed' });
    // The test plays the rules-worker: answer each command with a transition and a result.
    const commands = await new TopicCollector(
      s.topics.kafka,
      topicName('alarmCommands', s.topics.prefix),
    ).start(true);
    const worker = (async () => {
      const [rec] = await commands.until((r) => r.length > 0, { timeoutMs: 20_000 });
      const cmd = TOPICS.alarmCommands.schema.parse(JSON.parse(String(rec?.value))) as AlarmCommand;
      await s.sendAlarm({
        ...raised,
        transition: 'ack',
        state: 'active-ack',
        seq: 2,
        actor: cmd.actor,
        emittedAt: Date.now(),
      });
      await s.producer.send('alarmCommandResults', [
        {
          key: cmd.enterpriseId,
          value: {
            commandId: cmd.commandId,
            alarmId: cmd.alarmId,
            enterpriseId: cmd.enterpriseId,
            ok: true,
            at: Date.now(),
          },
        },
      ]);
      return cmd;
    })();
    const op = await token('operator', { level: 'province', code: '140000' }, { sub: 'op-int' });
    const res = await fetch(`${s.base}/api/v1/alarms/${encodeURIComponent(raised.alarmId)}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'checked on site' }),
    });
    const cmd = await worker;
    await commands.stop();
    expect(cmd).toMatchObject({
      action: 'ack',
      alarmId: raised.alarmId,
      actor: { id: 'op-int', role: 'operator' },
      comment: 'checked on site',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { commandId: string; transition: AlarmTransitionEvent };
    expect(body.commandId).toBe(cmd.commandId);
    expect(body.transition).toMatchObject({
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op-int' },
    });
  });

  it('lists stored alarms by scope and computes connectivity from gateway_status rows', async () => {
    const tables = tableNames(s.qdbPrefix.prefix);
    const ilp = await createIlpSender({ httpUrl: serviceEnv().questdbHttp });
    const now = Date.now();
    const ty = alarmEvent(E_TY, {
      alarmId: `${E_TY}:P:r:${now}`,
      emittedAt: now - 1000,
      episodeStart: now - 1000,
    });
    const dt = alarmEvent(E_DT, {
      alarmId: `${E_DT}:P:r:${now}`,
      emittedAt: now - 1000,
      episodeStart: now - 1000,
    });
    try {
      await ilp.write([alarmEventRow(tables, ty), alarmEventRow(tables, dt)]);
      // Taiyuan's gateway came online 6 h before `to`, Datong's never reported: 接入率 TY 1, DT 0.
      await ilp.write([
        gatewayStatusRow(tables, {
          enterpriseId: E_TY,
          gatewayId: 'gw-01',
          type: 'online',
          reason: 'status-message',
          at: now - 6 * 3_600_000,
        }),
      ]);
    } finally {
      await ilp.close();
    }
    await waitFor(
      async () =>
        (await walApplied(s.questdb, tables.alarm_events)) &&
        (await walApplied(s.questdb, tables.gateway_status)),
      {
        timeoutMs: 30_000,
        message: 'QuestDB WAL not applied',
      },
    );
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city });
    const list = (await (
      await fetch(`${s.base}/api/v1/alarms`, { headers: { authorization: `Bearer ${reg}` } })
    ).json()) as { items: AlarmTransitionEvent[] };
    expect(list.items.map((a) => a.alarmId)).toContain(ty.alarmId);
    expect(list.items.map((a) => a.enterpriseId)).not.toContain(E_DT);

    const admin = await token('admin', { level: 'province', code: '140000' });
    const report = (await (
      await fetch(`${s.base}/api/v1/reports/connectivity?from=${now - 24 * 3_600_000}&to=${now}`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { rows: { code: string; accessRate: number; onlineRate: number }[] };
    const row = (code: string) => report.rows.find((r) => r.code === code);
    expect(row(TAIYUAN.city)?.accessRate).toBe(1);
    expect(row(TAIYUAN.city)?.onlineRate).toBeCloseTo(0.25, 5);
    expect(row('140200')?.accessRate).toBe(0);
    expect(row('140000')?.accessRate).toBe(0.5);
  });
});
