import { describe, expect, it } from 'vitest';
import {
  AlarmCommand,
  AlarmCommandResult,
  AlarmTransitionEvent,
  DeadLetterRecord,
  DeliveryRecord,
  WebhookPayload,
} from '../src/index';

type Result = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
const problems = (r: Result) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

const event = {
  alarmId: '140105MD01:TT-DC01:hopper-high:1764295200000',
  enterpriseId: '140105MD01',
  point: 'TT-DC01',
  rule: 'hopper-high',
  kind: 'threshold',
  level: 2,
  state: 'active-unack',
  transition: 'raise',
  value: 72.5,
  limit: 70,
  eventTime: 1764295200000,
  emittedAt: 1764295200100,
  episodeStart: 1764295200000,
  seq: 0,
};
const actor = { id: 'op-7', role: 'operator' };

describe('AlarmTransitionEvent', () => {
  it('accepts a raise and defaults the loop to open', () =>
    expect(AlarmTransitionEvent.parse(event).loop).toBe('open'));
  it.each([
    [{ level: 5 }, /^level: /],
    [{ state: 'angry' }, /^state: /],
    [{ transition: 'explode' }, /^transition: /],
    [{ value: '72' }, /^value: /],
    [{ eventTime: undefined }, /^eventTime: /],
    [{ actor: { id: 'x', role: 'king' } }, /^actor.role: /],
  ])('rejects %j', (over, message) => {
    expect(problems(AlarmTransitionEvent.safeParse({ ...event, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });
});

describe('AlarmCommand', () => {
  const cmd = {
    commandId: 'cmd-00000001',
    alarmId: event.alarmId,
    enterpriseId: '140105MD01',
    action: 'ack',
    actor,
    issuedAt: 1,
  };
  it.each([
    cmd,
    { ...cmd, action: 'shelve', durationMs: 3_600_000, reason: 'sensor maintenance' },
    { ...cmd, action: 'comment', comment: '现场核实中' },
  ])('accepts $action', (c) => expect(AlarmCommand.safeParse(c).success).toBe(true));
  it.each([
    [{ action: 'shelve' }, /^durationMs: shelve needs durationMs and reason/],
    [{ action: 'comment' }, /^comment: comment needs text/],
    [{ commandId: 'short' }, /^commandId: /],
    [{ action: 'delete' }, /^action: /],
    [{ actor: undefined }, /^actor: /],
  ])('rejects %j', (over, message) => {
    expect(problems(AlarmCommand.safeParse({ ...cmd, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });
  it('validates command results', () => {
    expect(
      AlarmCommandResult.safeParse({
        commandId: 'c',
        alarmId: 'a',
        enterpriseId: 'e',
        ok: false,
        code: 'YJ_ERR_X_Y',
        at: 1,
      }).success,
    ).toBe(true);
    expect(
      AlarmCommandResult.safeParse({ commandId: 'c', alarmId: 'a', enterpriseId: 'e', ok: 'no', at: 1 })
        .success,
    ).toBe(false);
  });
});

describe('webhook payloads, deliveries and dead letters', () => {
  it('accepts a payload wrapping an alarm event, and rejects an unknown event type', () => {
    const payload = {
      event: 'alarm.escalated',
      deliveryId: 'd-1',
      sentAt: 1,
      step: { index: 1, target: 'county' },
      alarm: event,
    };
    expect(WebhookPayload.safeParse(payload).success).toBe(true);
    expect(problems(WebhookPayload.safeParse({ ...payload, event: 'alarm.eaten' }))).toContainEqual(
      expect.stringMatching(/^event: /),
    );
    expect(problems(WebhookPayload.safeParse({ ...payload, alarm: { ...event, level: 0 } }))).toContainEqual(
      expect.stringMatching(/^alarm.level: /),
    );
  });

  const delivery = {
    deliveryId: 'd-1',
    alarmId: event.alarmId,
    enterpriseId: '140105MD01',
    subscriptionId: 'sub-taiyuan-city',
    event: 'alarm.raised',
    target: 'http://127.0.0.1:9811',
    attempt: 1,
    status: 'failed',
    httpStatus: 503,
    latencyMs: 12,
    at: 1,
  };
  it('accepts a delivery attempt', () => expect(DeliveryRecord.safeParse(delivery).success).toBe(true));
  it.each([
    [{ attempt: 0 }, /^attempt: /],
    [{ status: 'lost' }, /^status: /],
    [{ httpStatus: undefined }, /^httpStatus: /],
  ])('rejects delivery %j', (over, message) => {
    expect(problems(DeliveryRecord.safeParse({ ...delivery, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });

  it('accepts dead letters with issues and raw bytes, and requires a reason', () => {
    const dl = {
      source: 'mqtt',
      reason: 'schema',
      issues: [{ path: 'readings.0.v', message: 'expected number' }],
      receivedAt: 1,
      raw: Buffer.from('{}').toString('base64'),
    };
    expect(DeadLetterRecord.parse(dl).context).toEqual({});
    expect(problems(DeadLetterRecord.safeParse({ ...dl, reason: '' }))).toContainEqual(
      expect.stringMatching(/^reason: /),
    );
    expect(problems(DeadLetterRecord.safeParse({ ...dl, raw: undefined }))).toContainEqual(
      expect.stringMatching(/^raw: /),
    );
  });
});
