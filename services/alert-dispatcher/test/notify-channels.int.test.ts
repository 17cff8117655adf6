import { loadConfig } from '@yujing/config';
import { TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { RegistryStore } from '@yujing/registry';
import {
  type AlarmTransitionEvent,
  type DeliveryRecord,
  RegistryDocument,
  SHANXI_SCHEME,
} from '@yujing/schemas';
import {
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import { verifyAckLink } from '@yujing/webhook-signature';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDispatcher, type Dispatcher } from '../src/app';
import { DispatcherConfig } from '../src/config';
import { escalationJobId } from '../src/escalation-plan';
import { ChannelReceiver, SmtpReceiver } from './channel-receivers';
import { nextEvent, raiseEvent } from './dispatch-fixtures';

/**
 * People's channels end to end on the real Kafka and Redis with real local receivers: DingTalk
 * and WeCom robots (formats and signatures checked as their docs specify), an SMS/voice gateway
 * in Aliyun's request shape (signature checked), and a real SMTP server on loopback. Failure
 * modes — timeout, 5xx, provider error code — retry, then dead-letter; permanent provider
 * errors dead-letter at once; every attempt has its receipt on yj.deliveries.v1.
 */
const ATTEMPTS = 3;
const ACK_KEY = 'notify-int-ack-key-0123456789abcdef';
const GATEWAY_SECRET = 'gateway-secret-0123';
const E_OK = '140105NT001'; // every channel answers
const E_BAD = '140106NT002'; // every failure mode
const E_ACK = '140107NT003'; // acknowledgement stops the chain
// Margin for the ack to travel (test → Kafka → dispatcher) before the county step is due, on a loaded box.
const COUNTY_DELAY_MS = 8000;

const enterprise = (id: string, county: string) => ({
  id,
  name: `通知测试企业${id.slice(-1)}`,
  region: { province: '140000', city: '140100', county },
  industries: ['steel'],
  hazards: ['industrial-gas'],
  classification: { scheme: SHANXI_SCHEME, code: 'A', rank: 1 },
  connectionRequiredBy: '2025-12-31',
});
const at = (code: string) => ({ level: 'enterprise', code });

function registry(base: string, smtpPort: number): RegistryDocument {
  const robot = (name: string) => `${base}/dingtalk/${name}?access_token=tok-${name}`;
  return RegistryDocument.parse({
    enterprises: [enterprise(E_OK, '140105'), enterprise(E_BAD, '140106'), enterprise(E_ACK, '140107')],
    points: [],
    policies: [
      {
        id: 'notify-a1',
        classification: ['A'],
        levels: [1, 2],
        steps: [
          { afterMs: 0, notify: 'enterprise' },
          { afterMs: COUNTY_DELAY_MS, notify: 'county' },
        ],
      },
    ],
    people: [
      {
        id: 'ok-manager',
        name: '张安全',
        scope: at(E_OK),
        roles: ['enterprise-safety-manager'],
        channels: [
          { id: 'dt', kind: 'dingtalk', webhookUrl: robot('ok'), secret: 'SECok0123456789abcdef' },
          { id: 'mail', kind: 'email', address: 'zhang@ok.example' },
        ],
      },
      {
        id: 'ok-operator',
        name: '李值班',
        scope: at(E_OK),
        roles: ['enterprise-duty-operator'],
        channels: [
          { id: 'wc', kind: 'wecom', webhookUrl: `${base}/wecom/send?key=wk-ok` },
          { id: 'sms', kind: 'sms', phone: '13800000001' },
          { id: 'call', kind: 'voice', phone: '13800000001', maxLevel: 1 },
        ],
      },
      {
        id: 'bad-person',
        name: '王故障',
        scope: at(E_BAD),
        roles: ['enterprise-safety-manager'],
        channels: [
          { id: 'dt5xx', kind: 'dingtalk', webhookUrl: robot('flaky'), secret: 'SECflaky0123456789ab' },
          { id: 'dtslow', kind: 'dingtalk', webhookUrl: robot('hang'), secret: 'SEChang0123456789abc' },
          { id: 'wclimit', kind: 'wecom', webhookUrl: `${base}/wecom/send?key=wk-limit` },
          { id: 'smslimit', kind: 'sms', phone: '13900000002' },
          { id: 'smsbad', kind: 'sms', phone: '13900000003' },
          { id: 'mailbusy', kind: 'email', address: 'busy@bad.example' },
          { id: 'mailgone', kind: 'email', address: 'gone@bad.example' },
        ],
      },
      {
        id: 'ack-operator',
        name: '赵值班',
        scope: at(E_ACK),
        roles: ['enterprise-duty-operator'],
        channels: [{ id: 'dt', kind: 'dingtalk', webhookUrl: robot('ack'), secret: 'SECack0123456789abcde' }],
      },
      {
        id: 'county-officer',
        name: '孙县值班',
        scope: { level: 'county', code: '140107' },
        roles: ['county-duty-officer'],
        channels: [
          { id: 'dt', kind: 'dingtalk', webhookUrl: robot('county'), secret: 'SECcounty0123456789a' },
        ],
      },
    ],
    rosters: [
      {
        id: 'ok-ops',
        scope: at(E_OK),
        role: 'enterprise-duty-operator',
        shifts: [{ personId: 'ok-operator', start: '00:00', end: '00:00' }],
      },
    ],
  });
}

let topics: TestTopics;
let receiver: ChannelReceiver;
let smtp: SmtpReceiver;
let dispatcher: Dispatcher;
let producer: TypedProducer;
let deliveries: TopicCollector;
let queuePrefix: string;
const env = serviceEnv();

const send = (ev: AlarmTransitionEvent) => producer.send('alarms', [{ key: ev.enterpriseId, value: ev }]);
const receipts = (alarmId: string, subscriptionId: string) =>
  deliveries
    .json<DeliveryRecord>()
    .filter((d) => d.alarmId === alarmId && d.subscriptionId === subscriptionId)
    .sort((a, b) => a.attempt - b.attempt);
const statuses = (alarmId: string, subscriptionId: string) =>
  receipts(alarmId, subscriptionId).map((d) => d.status);

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 1, label: 'notify' });
  receiver = await new ChannelReceiver().start();
  receiver.gatewaySecret = GATEWAY_SECRET;
  for (const [name, secret] of [
    ['ok', 'SECok0123456789abcdef'],
    ['flaky', 'SECflaky0123456789ab'],
    ['hang', 'SEChang0123456789abc'],
    ['ack', 'SECack0123456789abcde'],
    ['county', 'SECcounty0123456789a'],
  ] as const)
    receiver.dingTalkSecrets.set(name, secret);
  receiver.weComKeys.add('wk-ok');
  receiver.weComKeys.add('wk-limit');
  smtp = await new SmtpReceiver().start();
  const store = new RegistryStore();
  store.loadDocument(registry(receiver.url, smtp.port));
  queuePrefix = `${uniqueId('nq')}-`;
  const config = loadConfig(DispatcherConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: uniqueId('notify-dispatcher'),
    KAFKA_SESSION_TIMEOUT_MS: '6s',
    TOPIC_PREFIX: topics.prefix,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    WEBHOOK_ATTEMPTS: String(ATTEMPTS),
    WEBHOOK_BACKOFF_MS: '100ms',
    WEBHOOK_BACKOFF_MAX_MS: '400ms',
    WEBHOOK_TIMEOUT_MS: '1s',
    ALLOW_PRIVATE_WEBHOOK_TARGETS: '127.0.0.0/8',
    NODE_ENV: 'test', // the local robots speak plain http
    NOTIFY_CONSOLE_BASE_URL: 'http://console.test',
    NOTIFY_ACK_BASE_URL: 'http://api.test',
    NOTIFY_ACK_LINK_SECRET: ACK_KEY,
    NOTIFY_SMS_GATEWAY_URL: `${receiver.url}/gateway/`,
    NOTIFY_VOICE_GATEWAY_URL: `${receiver.url}/gateway/`,
    NOTIFY_GATEWAY_ACCESS_KEY_ID: 'test-key-id',
    NOTIFY_GATEWAY_ACCESS_KEY_SECRET: GATEWAY_SECRET,
    NOTIFY_SMS_TEMPLATE_CODES: 'alarm.raised=SMS_RAISED,*=SMS_OTHER',
    NOTIFY_VOICE_TTS_CODES: '*=TTS_ALARM',
    NOTIFY_VOICE_SHOW_NUMBER: '03510000000',
    NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  });
  dispatcher = buildDispatcher({
    config,
    logger: createLogger({ service: 'notify-int-test', level: 'warn' }),
    kafka: topics.kafka,
    registry: store,
    metricsRegistry: new Registry(),
  });
  deliveries = await new TopicCollector(topics.kafka, topicName('deliveries', topics.prefix)).start();
  producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await dispatcher.start();
});

afterAll(async () => {
  await dispatcher?.stop();
  await Promise.allSettled([producer?.disconnect(), deliveries?.stop(), receiver?.stop(), smtp?.stop()]);
  await Promise.allSettled([
    obliterateQueue(queueName('escalation', queuePrefix)),
    obliterateQueue(queueName('deliveries', queuePrefix)),
  ]);
  const redis = new Redis(env.redisUrl);
  const keys = await redis.keys(`yj-dispatch:${queuePrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await topics?.cleanup();
});

describe('person channels', () => {
  it('a level-1 alarm reaches the safety manager and the operator on duty on every channel, in the documented formats', async () => {
    const raise = raiseEvent(E_OK, 1);
    await send(raise);
    const ids = ['dt', 'mail'].map((c) => `person.ok-manager.${c}`);
    ids.push(...['wc', 'sms', 'call'].map((c) => `person.ok-operator.${c}`));
    await waitFor(() => ids.every((id) => statuses(raise.alarmId, id).includes('delivered')), {
      message: 'five channels delivered',
    });

    const dt = receiver.robots.find((r) => r.robot === 'ok');
    expect(dt).toMatchObject({ kind: 'dingtalk', valid: true });
    expect(dt?.title).toBe('【一级（红色）报警】通知测试企业1 CO-BF1-003');
    expect(dt?.text).toContain('监测值：180（限值 160）');
    expect(dt?.text).toContain(`http://console.test/alarms/${encodeURIComponent(raise.alarmId)}`);
    const wc = receiver.robots.find((r) => r.robot === 'wk-ok');
    expect(wc).toMatchObject({ kind: 'wecom', valid: true });
    expect(wc?.text).toContain('企业：通知测试企业1');

    const sms = receiver.gateway.find((g) => g.action === 'SendSms' && g.phone === '13800000001');
    expect(sms).toMatchObject({ valid: true });
    expect(sms?.params).toMatchObject({
      TemplateCode: 'SMS_RAISED',
      SignName: '预警',
      AccessKeyId: 'test-key-id',
    });
    expect(sms?.templateParam).toMatchObject({
      enterprise: '通知测试企业1',
      value: '180',
      limit: '160',
      level: '一级（红色）',
    });
    const call = receiver.gateway.find((g) => g.action === 'SingleCallByTts');
    expect(call?.params).toMatchObject({
      CalledNumber: '13800000001',
      TtsCode: 'TTS_ALARM',
      CalledShowNumber: '03510000000',
    });

    const mail = smtp.mails.find((m) => m.to.includes('zhang@ok.example'));
    expect(mail?.subject).toBe('【一级（红色）报警】通知测试企业1 CO-BF1-003');
    expect(mail?.text).toContain('时间：');
    expect(mail?.headers['x-yujing-event']).toBe('alarm.raised');

    // The acknowledge link in the message is signed for this alarm and this person.
    const link = dt?.text.match(/\(http:\/\/api\.test\/ack-links\?token=([^)]+)\)/)?.[1];
    const verdict = verifyAckLink(ACK_KEY, decodeURIComponent(link ?? ''), Date.now());
    expect(verdict).toMatchObject({
      ok: true,
      claims: { alarmId: raise.alarmId, personId: 'ok-manager', role: 'enterprise' },
    });

    const rec = receipts(raise.alarmId, 'person.ok-manager.dt')[0];
    expect(rec).toMatchObject({ status: 'delivered', attempt: 1, event: 'alarm.raised' });
    expect(rec?.target).toMatch(/^dingtalk:http:\/\/127\.0\.0\.1:\d+$/); // no access_token, no sign
    expect(receipts(raise.alarmId, 'person.ok-manager.mail')[0]?.target).toMatch(
      /^email:smtp:\/\/127\.0\.0\.1:\d+$/,
    );
  });

  it('a level-2 alarm skips the voice channel limited to level 1', async () => {
    const raise = raiseEvent(E_OK, 2);
    await send(raise);
    await waitFor(() => statuses(raise.alarmId, 'person.ok-operator.sms').includes('delivered'));
    const step = await dispatcher.queues.escalation.getJob(
      escalationJobId({ alarmId: raise.alarmId, planVersion: raise.seq, kind: 'step', stepIndex: 0 }),
    );
    await waitFor(async () => (await step?.getState()) === 'completed');
    expect(receipts(raise.alarmId, 'person.ok-operator.call')).toEqual([]);
  });

  it('timeout, 5xx and provider rate limits retry then dead-letter; permanent provider errors dead-letter at once', async () => {
    receiver.script('flaky', (n) => (n <= 2 ? { status: 503 } : {}));
    receiver.script('hang', () => 'hang');
    receiver.script('wk-limit', () => ({ code: '45009' }));
    receiver.script('13900000002', (n) => (n === 1 ? { code: 'isv.BUSINESS_LIMIT_CONTROL' } : {}));
    receiver.script('13900000003', () => ({ code: 'isv.MOBILE_NUMBER_ILLEGAL' }));
    smtp.script('busy@bad.example', (n) => (n === 1 ? 451 : 250));
    smtp.script('gone@bad.example', () => 550);
    const raise = raiseEvent(E_BAD, 1);
    await send(raise);
    const id = (c: string) => `person.bad-person.${c}`;
    const dead = (c: string) => statuses(raise.alarmId, id(c)).includes('dead-lettered');
    const done = (c: string) => statuses(raise.alarmId, id(c)).includes('delivered');
    await waitFor(
      () =>
        done('dt5xx') &&
        done('smslimit') &&
        done('mailbusy') &&
        dead('dtslow') &&
        dead('wclimit') &&
        dead('smsbad') &&
        dead('mailgone'),
      { message: 'every channel delivered or dead-lettered', timeoutMs: 30_000 },
    );
    expect(statuses(raise.alarmId, id('dt5xx'))).toEqual(['failed', 'failed', 'delivered']);
    expect(receipts(raise.alarmId, id('dt5xx')).map((d) => d.httpStatus)).toEqual([503, 503, 200]);
    expect(statuses(raise.alarmId, id('smslimit'))).toEqual(['failed', 'delivered']);
    expect(receipts(raise.alarmId, id('smslimit'))[0]?.error).toMatch(/^isv\.BUSINESS_LIMIT_CONTROL: /);
    expect(statuses(raise.alarmId, id('mailbusy'))).toEqual(['failed', 'delivered']);
    // Timeout: every attempt used, then dead-lettered.
    expect(statuses(raise.alarmId, id('dtslow'))).toEqual(['failed', 'failed', 'dead-lettered']);
    expect(receipts(raise.alarmId, id('dtslow'))[0]?.error).toBe('timeout after 1000 ms');
    expect(statuses(raise.alarmId, id('wclimit'))).toEqual(['failed', 'failed', 'dead-lettered']);
    expect(receipts(raise.alarmId, id('wclimit'))[2]?.error).toMatch(/^wecom errcode 45009/);
    // Permanent: one attempt, dead-lettered with the provider's code.
    expect(statuses(raise.alarmId, id('smsbad'))).toEqual(['dead-lettered']);
    expect(receipts(raise.alarmId, id('smsbad'))[0]?.error).toMatch(/^isv\.MOBILE_NUMBER_ILLEGAL/);
    expect(statuses(raise.alarmId, id('mailgone'))).toEqual(['dead-lettered']);
    expect(receipts(raise.alarmId, id('mailgone'))[0]?.error).toMatch(/^smtp 550/);

    // Dead letters are failed jobs of the deliveries queue, replayable like webhooks'.
    const deadId = receipts(raise.alarmId, id('smsbad'))[0]?.deliveryId ?? '';
    const job = await dispatcher.queues.deliveries.getJob(deadId);
    expect(await job?.getState()).toBe('failed');
    receiver.script('13900000003', () => ({}));
    await job?.retry('failed', { resetAttemptsMade: true });
    await waitFor(() => statuses(raise.alarmId, id('smsbad')).includes('delivered'), {
      message: 'replayed delivery',
    });
  });

  it('acknowledging stops the escalation: the county duty officer is never paged; without it he is', async () => {
    const acked = raiseEvent(E_ACK, 1);
    const unacked = raiseEvent(E_ACK, 1);
    await send(acked);
    await send(unacked);
    const first = (a: AlarmTransitionEvent) => receipts(a.alarmId, 'person.ack-operator.dt')[0];
    await waitFor(() => first(acked)?.status === 'delivered' && first(unacked)?.status === 'delivered');
    await send(
      nextEvent(acked, {
        transition: 'ack',
        state: 'active-ack',
        actor: { id: 'person:ack-operator', role: 'enterprise' },
      }),
    );
    const countyStep = (a: AlarmTransitionEvent) =>
      escalationJobId({ alarmId: a.alarmId, planVersion: a.seq, kind: 'step', stepIndex: 1 });
    // The unacknowledged alarm reaches the county after COUNTY_DELAY_MS…
    await waitFor(() => receipts(unacked.alarmId, 'person.county-officer.dt')[0]?.status === 'delivered', {
      message: 'county paged for the unacknowledged alarm',
      timeoutMs: 20_000,
    });
    // …the acknowledged one's county step was removed before it was due, so it can never page.
    expect(await dispatcher.queues.escalation.getJob(countyStep(acked))).toBeUndefined();
    expect(receipts(acked.alarmId, 'person.county-officer.dt')).toEqual([]);
    // The people notified hear of the acknowledgement (no link in it: nothing left to acknowledge).
    await waitFor(() =>
      receipts(acked.alarmId, 'person.ack-operator.dt').some((d) => d.event === 'alarm.acknowledged'),
    );
  });
});
