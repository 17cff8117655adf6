import { gatewayUsername, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { loadConfig } from '@yujing/config';
import { topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import type { ReadingBatch } from '@yujing/schemas';
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

// Issue #14 hole 1: client-id takeover. A gateway that connected with the ingest service's
// (predictable) client id and clean:false took over its persistent session: QoS 1 messages of
// other enterprises were PUBACKed to their publishers and dropped (the gateway may not read
// them); a gateway could also kick another one off, whose will then said "offline".
const E1 = uniqueEnterpriseId();
const E2 = uniqueEnterpriseId();
const { document, gateways } = testRegistry([
  { enterpriseId: E1, gatewayIds: ['gw-1'] },
  { enterpriseId: E2, gatewayIds: ['gw-1'] },
]);
const [A, B] = gateways as [TestGateway, TestGateway];
const PREFIX = uniqueId('gwid');

let topics: TestTopics;
let service: GatewayIngest;
let readings: TopicCollector;
const clients: MqttClient[] = [];

/** Connects a gateway; resolves with the client and whether the broker handed it an existing session. */
function connectGateway(
  g: TestGateway,
  opts: mqtt.IClientOptions = {},
): Promise<{ client: MqttClient; sessionPresent: boolean }> {
  return waitFor(
    () =>
      new Promise((resolve, reject) => {
        const client = mqtt.connect(serviceEnv().mqttUrl, {
          protocolVersion: 5,
          clientId: uniqueId('id-gw'),
          username: gatewayUsername(g.enterpriseId, g.gatewayId),
          password: g.mqttPassword,
          reconnectPeriod: 0,
          connectTimeout: 3000,
          ...opts,
        });
        clients.push(client);
        client.once('connect', (connack) => resolve({ client, sessionPresent: connack.sessionPresent }));
        client.once('error', reject);
      }),
    { timeoutMs: 15_000, intervalMs: 200, message: `gateway ${g.enterpriseId}/${g.gatewayId} connects` },
  );
}

const telemetry = (g: TestGateway, seq: number) => {
  const now = Date.now();
  return JSON.stringify({
    v: 1,
    gatewayId: g.gatewayId,
    seq,
    sentAt: now,
    readings: [{ point: 'TT-1', ts: now - 1000, v: seq }],
  });
};

const disconnects = async () => {
  const text = (await service.http.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(/^yujing_ingest_mqtt_disconnects_total (\d+)/m.exec(text)?.[1] ?? 0);
};

beforeAll(async () => {
  const env = serviceEnv();
  topics = await createTestTopics({ partitions: 1, label: 'gw-identity' });
  const store = new RegistryStore();
  store.loadDocument(document);
  await syncBrokerAuthFiles(testBrokerTarget(), store.gateways());
  const config = loadConfig(GatewayIngestConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: topics.prefix,
    MQTT_URL: env.mqttServiceUrl,
    MQTT_USERNAME: env.mqttServiceUser,
    MQTT_PASSWORD: env.mqttServicePassword,
    MQTT_CLIENT_ID: PREFIX,
    MQTT_SHARE_GROUP: uniqueId('gwid-group'),
    MQTT_CONNECTIONS: '2',
    MQTT_SESSION_EXPIRY: '60s',
  });
  const logger = createLogger({ service: 'gateway-ingest-identity', level: 'error' });
  service = await buildGatewayIngest({
    config,
    logger,
    kafka: topics.kafka,
    registry: store,
    registryReady: () => true,
  });
  await service.start();
  readings = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await readings?.stop();
  await service?.http.close();
  await service?.stop();
  await syncBrokerAuthFiles(testBrokerTarget(), [], {
    remove: gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
  });
  await topics?.cleanup();
});

describe('MQTT client ids are bound to identities (real Mosquitto)', () => {
  it("a gateway using the ingest service's client ids gets no session and breaks nothing", async () => {
    const ids = [...new Set([...service.mqtt.clientIds, `${PREFIX}-0`, `${PREFIX}-1`])];
    const present: boolean[] = [];
    for (const clientId of ids) {
      const intruder = await connectGateway(A, {
        clientId,
        clean: false,
        properties: { sessionExpiryInterval: 0 },
      });
      present.push(intruder.sessionPresent);
    }
    // Took over an existing session = got the ingest service's subscriptions and queue.
    expect(present).toEqual(ids.map(() => false));

    // The ingest service still receives every other enterprise's messages, and was never kicked.
    const { client: owner } = await connectGateway(B);
    for (let seq = 1; seq <= 10; seq++) {
      await owner.publishAsync(`yj/v1/${E2}/gw-1/telemetry`, telemetry(B, seq), { qos: 1 });
    }
    const mine = () => readings.json<ReadingBatch>().filter((b) => b.enterpriseId === E2);
    await readings.until(() => new Set(mine().map((b) => b.seq)).size === 10, {
      message: "all 10 of the other enterprise's messages on yj.readings.v1",
    });
    expect(await disconnects()).toBe(0);
    expect(service.mqtt.connected).toBe(true);
  });

  it("a gateway cannot log in on the service accounts' listener", async () => {
    await expect(
      mqtt.connectAsync(serviceEnv().mqttServiceUrl, {
        protocolVersion: 5,
        clientId: service.mqtt.clientIds[0],
        username: gatewayUsername(A.enterpriseId, A.gatewayId),
        password: A.mqttPassword,
        clean: false,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow(/not authorized|bad user name or password/i);
    expect(await disconnects()).toBe(0);
  });

  it("a gateway using another gateway's client id does not kick it off (no false last-will offline)", async () => {
    const victimId = uniqueId('victim');
    const { client: victim } = await connectGateway(B, {
      clientId: victimId,
      will: { topic: `yj/v1/${E2}/gw-1/status`, payload: Buffer.from('offline'), qos: 1, retain: false },
    });
    const closed = new Promise<'closed'>((resolve) => victim.once('close', () => resolve('closed')));
    for (const clientId of [victimId, gatewayUsername(B.enterpriseId, B.gatewayId)]) {
      await connectGateway(A, { clientId });
    }
    // A round trip of the victim after the intruders' CONNACKs: a kicked victim never gets its PUBACK.
    const outcome = await Promise.race([
      victim.publishAsync(`yj/v1/${E2}/gw-1/telemetry`, telemetry(B, 100), { qos: 1 }).then(() => 'acked'),
      closed,
    ]);
    expect(outcome).toBe('acked');
  });
});
