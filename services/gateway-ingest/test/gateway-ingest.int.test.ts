import { fileURLToPath } from 'node:url';
import {
  type BrokerAuthTarget,
  gatewayUsername,
  ingestServiceAccount,
  reloadByCommand,
  syncBrokerAuthFiles,
} from '@yujing/broker-auth';
import { loadConfig } from '@yujing/config';
import { topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import type { DeadLetterRecord, GatewayEvent, ReadingBatch } from '@yujing/schemas';
import {
  createTestTopics,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayIngest, type GatewayIngest } from '../src/app';
import { GatewayIngestConfig } from '../src/config';
import { testBrokerTarget } from './ingest-test-broker';
import { type TestGateway, testRegistry, uniqueEnterpriseId } from './ingest-test-registry';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const E1 = uniqueEnterpriseId();
const E2 = uniqueEnterpriseId();
const { document, gateways } = testRegistry([
  { enterpriseId: E1, gatewayIds: ['gw-1', 'gw-2', 'gw-ghost'] },
  { enterpriseId: E2, gatewayIds: ['gw-1'] },
]);
const gw = (e: string, g: string) => gateways.find((x) => x.enterpriseId === e && x.gatewayId === g)!;
const A = gw(E1, 'gw-1');
const A2 = gw(E1, 'gw-2');
const GHOST = gw(E1, 'gw-ghost'); // known to the broker, unknown to the ingest service's registry
const B = gw(E2, 'gw-1');

let topics: TestTopics;
let service: GatewayIngest;
let brokerTarget: BrokerAuthTarget;
let readings: TopicCollector;
let deadLetters: TopicCollector;
let events: TopicCollector;
const clients: MqttClient[] = [];

const now = Date.now();
/** `ms` as ISO-8601 in Beijing time (+08:00), the way Shanxi gateways send it. */
const beijing = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, -1)}+08:00`;
const TEN_MIN_AGO = Math.floor((now - 600_000) / 1000) * 1000;
const message = (seq: number, over: Record<string, unknown> = {}, gatewayId = 'gw-1') => ({
  v: 1,
  gatewayId,
  seq,
  sentAt: new Date(now).toISOString(),
  readings: [
    { point: 'TT-1', ts: beijing(TEN_MIN_AGO), v: 41.5 },
    { point: 'PDT-1', ts: now - 1000, v: 900, q: 'uncertain' },
  ],
  ...over,
});
const batches = () => readings.json<ReadingBatch>();
const letters = () => deadLetters.json<DeadLetterRecord>();

async function connectGateway(g: TestGateway, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await waitFor(
    () =>
      mqtt.connectAsync(serviceEnv().mqttUrl, {
        protocolVersion: 5,
        clientId: uniqueId('test-gw'),
        username: gatewayUsername(g.enterpriseId, g.gatewayId),
        password: g.mqttPassword,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        ...opts,
      }),
    {
      timeoutMs: 15_000,
      intervalMs: 200,
      message: `gateway ${g.enterpriseId}/${g.gatewayId} connects (broker reloaded)`,
    },
  );
  clients.push(client);
  return client;
}

const publish = (c: MqttClient, g: TestGateway, body: unknown, channel = 'telemetry') =>
  c.publishAsync(
    `yj/v1/${g.enterpriseId}/${g.gatewayId}/${channel}`,
    typeof body === 'string' ? body : JSON.stringify(body),
    {
      qos: 1,
    },
  );

beforeAll(async () => {
  const env = serviceEnv();
  topics = await createTestTopics({ partitions: 2, label: 'gw-ingest' });
  brokerTarget = testBrokerTarget();
  const all = new RegistryStore();
  all.loadDocument(document);
  await syncBrokerAuthFiles(brokerTarget, all.gateways());

  const store = new RegistryStore();
  store.loadDocument({ ...document, gateways: document.gateways.filter((g) => g.id !== 'gw-ghost') });
  const config = loadConfig(GatewayIngestConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: topics.prefix,
    MQTT_URL: env.mqttServiceUrl,
    MQTT_USERNAME: env.mqttServiceUser,
    MQTT_PASSWORD: env.mqttServicePassword,
    MQTT_CLIENT_ID: uniqueId('gwi'),
    MQTT_SHARE_GROUP: uniqueId('gwi-group'),
    MQTT_CONNECTIONS: '2',
    MQTT_SESSION_EXPIRY: '60s',
    GAP_GRACE: '1s',
  });
  const logger = createLogger({ service: 'gateway-ingest-test', level: 'warn' });
  service = await buildGatewayIngest({
    config,
    logger,
    kafka: topics.kafka,
    registry: store,
    registryReady: () => true,
  });
  await service.start();
  readings = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
  deadLetters = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
  events = await new TopicCollector(topics.kafka, topicName('gatewayEvents', topics.prefix)).start();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await Promise.allSettled([readings?.stop(), deadLetters?.stop(), events?.stop()]);
  await service?.http.close();
  await service?.stop();
  if (brokerTarget) {
    await syncBrokerAuthFiles(brokerTarget, [], {
      remove: gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
    });
  }
  await topics?.cleanup();
});

describe('gateway-ingest over MQTT (real Mosquitto and Kafka)', () => {
  it('a published message becomes one batch keyed by enterprise with normalised values', async () => {
    const c = await connectGateway(A);
    await publish(c, A, message(1));
    const [record] = await readings.until((rs) => rs.some((r) => r.key === E1));
    const batch = batches().find((b) => b.enterpriseId === E1 && b.seq === 1);
    expect(record?.key).toBe(E1);
    expect(batch).toMatchObject({ gatewayId: 'gw-1', source: 'mqtt', sentAt: now });
    expect(batch?.readings).toEqual([
      { point: 'TT-1', kind: 'hopper-temperature', ts: TEN_MIN_AGO, v: 41.5, q: 'good' },
      { point: 'PDT-1', kind: 'collector-differential-pressure', ts: now - 1000, v: 900, q: 'uncertain' },
    ]);
  });

  it('the same message published twice yields one record', async () => {
    const c = await connectGateway(A);
    await publish(c, A, message(2));
    await publish(c, A, message(2)); // resolves on PUBACK, i.e. after the service handled it
    await publish(c, A, message(3)); // same key → same partition: a second seq 2 would precede it
    await readings.until(() => batches().some((b) => b.enterpriseId === E1 && b.seq === 3));
    expect(batches().filter((b) => b.enterpriseId === E1 && b.seq === 2)).toHaveLength(1);
  });

  it('wrong credentials cannot connect', async () => {
    await expect(
      mqtt.connectAsync(serviceEnv().mqttUrl, {
        protocolVersion: 5,
        clientId: uniqueId('test-bad'),
        username: gatewayUsername(A.enterpriseId, A.gatewayId),
        password: 'not-the-password',
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow(/auth|username|password|not authorized/i);
  });

  it("publishing under another enterprise's topic is refused by the broker", async () => {
    const env = serviceEnv();
    const spy = await mqtt.connectAsync(env.mqttServiceUrl, {
      protocolVersion: 5,
      clientId: uniqueId('test-spy'),
      username: env.mqttServiceUser,
      password: env.mqttServicePassword,
      reconnectPeriod: 0,
    });
    clients.push(spy);
    const seen: string[] = [];
    spy.on('message', (_t, payload) => seen.push(payload.toString()));
    await spy.subscribeAsync(`yj/v1/${E2}/#`, { qos: 1 });
    const intruder = await connectGateway(A);
    await publish(intruder, B, { ...message(100), marker: 'intruder' }).catch(() => undefined);
    const owner = await connectGateway(B);
    await publish(owner, B, { ...message(101), marker: 'owner' });
    await waitFor(() => seen.some((s) => s.includes('"owner"')), {
      message: 'owner message reaches the subscriber',
    });
    expect(seen.filter((s) => s.includes('"intruder"'))).toEqual([]);
    await readings.until(() => batches().some((b) => b.enterpriseId === E2 && b.seq === 101));
    expect(batches().filter((b) => b.enterpriseId === E2 && b.seq === 100)).toEqual([]);
  });

  it('every bad-input class lands on the dead letter with its reason, and the service keeps serving', async () => {
    const c = await connectGateway(A2);
    const ghost = await connectGateway(GHOST);
    const base = 200;
    await publish(c, A2, '{"v":1,', 'telemetry'); // invalid-json
    await publish(c, A2, message(base + 1, { v: 2 }, 'gw-2')); // schema
    await publish(c, A2, message(base + 2, {}, 'gw-1')); // body claims another gateway than the topic
    await publish(c, A2, message(base + 3, { enterpriseId: E2 }, 'gw-2')); // body claims another enterprise
    await publish(
      c,
      A2,
      message(
        base + 4,
        { readings: Array.from({ length: 5001 }, () => ({ point: 'TT-1', ts: now, v: 1 })) },
        'gw-2',
      ),
    );
    await publish(ghost, GHOST, message(base + 5, {}, 'gw-ghost')); // unknown gateway
    const partial = JSON.stringify(
      message(
        base + 6,
        {
          readings: [
            { point: 'TT-1', ts: now, v: 40 },
            { point: 'NOPE', ts: now, v: 1 },
            { point: 'TT-1', ts: now, v: 12345 },
            { point: 'TT-1', ts: now - 8 * 86_400_000, v: 1 },
            { point: 'TT-1', ts: now + 3_600_000, v: 1 },
            { point: 'TT-1', ts: now, v: 'hot' },
          ],
        },
        'gw-2',
      ),
    ).replace('"v":12345', '"v":1e999');
    await publish(c, A2, partial);
    await publish(c, A2, 'sideways', 'status'); // not a status payload

    const expected = [
      'invalid-json',
      'schema',
      'wrong-gateway',
      'wrong-enterprise',
      'oversize',
      'unknown-gateway',
      'unknown-point',
      'non-finite',
      'timestamp-too-old',
      'timestamp-in-future',
    ];
    const mine = () => letters().filter((l) => l.context.enterpriseId === E1);
    await deadLetters.until(() => expected.every((r) => mine().some((l) => l.reason === r)), {
      message: `dead letters for ${expected.join(', ')}`,
    });
    const byReason = (r: string) => mine().filter((l) => l.reason === r);
    expect(byReason('non-finite')[0]?.issues.map((i) => i.path)).toEqual(['readings.2.v']);
    expect(byReason('unknown-point')[0]?.issues.map((i) => i.path)).toEqual(['readings.1.point']);
    expect(byReason('schema').flatMap((l) => l.issues.map((i) => i.path))).toEqual(
      expect.arrayContaining(['v', 'readings.5.v']),
    );
    expect(Buffer.from(byReason('invalid-json')[0]!.raw, 'base64').toString()).toBe('{"v":1,');
    expect(byReason('oversize')[0]?.source).toBe('mqtt');
    // the valid reading of the partly invalid message was kept
    await readings.until(() => batches().some((b) => b.enterpriseId === E1 && b.seq === base + 6));
    expect(
      batches()
        .find((b) => b.seq === base + 6 && b.enterpriseId === E1)
        ?.readings.map((r) => r.v),
    ).toEqual([40]);
    // still serving
    await publish(c, A2, message(base + 7, {}, 'gw-2'));
    await readings.until(() => batches().some((b) => b.enterpriseId === E1 && b.seq === base + 7));
  });

  it('retained status and the last will become online/offline events; a sequence gap becomes an event', async () => {
    const statusTopic = `yj/v1/${B.enterpriseId}/${B.gatewayId}/status`;
    const c = await connectGateway(B, {
      will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await c.publishAsync(statusTopic, 'online', { qos: 1, retain: true });
    c.stream.destroy(); // no DISCONNECT: the broker publishes the will
    const mine = () => events.json<GatewayEvent>().filter((e) => e.enterpriseId === E2);
    await events.until(() => mine().some((e) => e.type === 'offline' && e.reason === 'last-will'));
    expect(mine().some((e) => e.type === 'online' && e.reason === 'status-message')).toBe(true);

    const g = await connectGateway(B);
    await publish(g, B, message(300));
    await publish(g, B, message(303));
    const gap = () => mine().find((e) => e.type === 'seq-gap' && e.detail?.gotSeq === 303);
    await events.until(() => gap() !== undefined, { message: 'seq-gap event after the grace' });
    expect(gap()?.detail).toEqual({ expectedSeq: 301, gotSeq: 303 });
  });
});

describe('gateway-ingest over HTTP', () => {
  const post = (token: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
    service.http.inject({
      method: 'POST',
      url: '/ingest/v1/telemetry',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });

  it('answers 202 only once the batch is on Kafka', async () => {
    const res = await post(A.httpToken, message(400));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'accepted', readings: 2 });
    await readings.until(() =>
      batches().some((b) => b.enterpriseId === E1 && b.seq === 400 && b.source === 'http'),
    );
    expect((await post(A.httpToken, message(400))).json()).toEqual({ status: 'duplicate' });
  });

  it('concurrent requests share produce requests, and each is answered 202 with its batch on Kafka', async () => {
    const batchCalls = async () => {
      const text = (await service.http.inject({ method: 'GET', url: '/metrics' })).body;
      const read = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return {
        requests: read('yujing_ingest_produce_batch_calls_count'),
        sends: read('yujing_ingest_produce_batch_calls_sum'),
      };
    };
    const before = await batchCalls();
    const seqs = Array.from({ length: 20 }, (_, i) => 500 + i);
    const answers = await Promise.all(seqs.map((seq) => post(A.httpToken, message(seq))));
    expect(answers.map((r) => r.statusCode)).toEqual(seqs.map(() => 202));
    await readings.until(() =>
      seqs.every((seq) =>
        batches().some((b) => b.enterpriseId === E1 && b.seq === seq && b.source === 'http'),
      ),
    );
    const after = await batchCalls();
    // At least our 20 sends (the gap sweeper may add an event meanwhile), in fewer requests.
    expect(after.sends - before.sends).toBeGreaterThanOrEqual(seqs.length);
    expect(after.requests - before.requests).toBeLessThan(after.sends - before.sends);
  });

  it.each([
    ['no token', undefined, {}, 401],
    ['an unknown token', 'tok_nobody', {}, 401],
  ])('%s → 401', async (_n, token, headers, status) => {
    const res = await post(token, message(401), headers);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('YJ_ERR_INGEST_UNAUTHENTICATED');
  });

  it("another gateway's token gets 403, and so does a token used for another enterprise", async () => {
    const other = await post(A2.httpToken, message(402)); // body says gw-1, token is gw-2's
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'YJ_ERR_INGEST_FORBIDDEN', reason: 'wrong-gateway' });
    const cross = await post(B.httpToken, message(403), { 'x-yujing-enterprise': E1 });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().reason).toBe('wrong-enterprise');
  });

  it('bad bodies get 4xx problem+json naming the zod issue paths, and are dead-lettered', async () => {
    const schema = await post(A.httpToken, message(404, { seq: -1 }));
    expect(schema.statusCode).toBe(422);
    expect(schema.json().issues.map((i: { path: string }) => i.path)).toContain('seq');
    expect((await post(A.httpToken, '{nope')).statusCode).toBe(400);
    const big = await post(A.httpToken, Buffer.alloc(1024 * 1024 + 10, 0x20));
    expect(big.statusCode).toBe(413);
    const allBad = await post(A.httpToken, message(405, { readings: [{ point: 'NOPE', ts: now, v: 1 }] }));
    expect(allBad.statusCode).toBe(422);
    expect(allBad.json().issues[0].path).toBe('readings.0.point');
    await deadLetters.until(
      () => letters().filter((l) => l.source === 'http' && l.context.enterpriseId === E1).length >= 4,
      { message: 'http rejections dead-lettered' },
    );
    const truncated = letters().find((l) => l.source === 'http' && l.reason === 'oversize');
    expect(truncated?.context).toMatchObject({ truncated: 'true', bytes: String(1024 * 1024 + 10) });
  });

  it('a body that is not application/json gets 415, also text/plain (found by the bad-input fuzzer)', async () => {
    // text/plain has a Fastify default parser: the body arrived as a string, was taken for empty
    // bytes and answered 400 "Unexpected end of JSON input", with an empty dead letter
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/xml']) {
      const res = await post(A.httpToken, message(409), { 'content-type': type });
      expect({ type, status: res.statusCode }).toEqual({ type, status: 415 });
      expect(res.json()).toMatchObject({ code: 'YJ_ERR_INGEST_UNSUPPORTED_MEDIA' });
    }
    expect((await post(A.httpToken, message(409))).statusCode).toBe(202);
    const charset = await post(A.httpToken, message(410), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(charset.statusCode).toBe(202);
  });

  it('a sentAt outside the reading window is refused at the edge: 422 naming sentAt, and dead-lettered', async () => {
    const future = await post(A.httpToken, message(406, { sentAt: now + 86_400_000 }));
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({ reason: 'timestamp-in-future' });
    expect(future.json().issues.map((i: { path: string }) => i.path)).toEqual(['sentAt']);
    const old = await post(A.httpToken, message(407, { sentAt: '0001-01-01T00:00:00Z' }));
    expect(old.statusCode).toBe(422);
    expect(old.json()).toMatchObject({ reason: 'timestamp-too-old' });
    // over MQTT: dead-lettered with the reason, nothing on yj.readings.v1
    const c = await connectGateway(A);
    await publish(c, A, message(408, { sentAt: Number.MAX_SAFE_INTEGER }));
    await deadLetters.until(() =>
      letters().some((l) => l.source === 'mqtt' && l.context.seq === '408' && l.context.enterpriseId === E1),
    );
    const letter = letters().find((l) => l.source === 'mqtt' && l.context.seq === '408');
    expect(letter?.reason).toBe('timestamp-in-future');
    expect(letter?.issues.map((i) => i.path)).toEqual(['sentAt']);
    expect(batches().filter((b) => b.enterpriseId === E1 && b.seq >= 406 && b.seq <= 408)).toEqual([]);
  });

  it('reports ready with the registry, Kafka and MQTT connected, and exposes metrics', async () => {
    const ready = await service.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { registry: true, kafka: true, mqtt: true },
    });
    const metrics = (await service.http.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/yujing_ingest_readings_total\{[^}]*source="mqtt"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/yujing_ingest_rejects_total\{[^}]*reason="non-finite"/);
  });
});
