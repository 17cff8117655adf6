import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { publishRegistry } from '@yujing/registry';
import { DutyRobotInbox, type RobotMessageLine } from '@yujing/regulator-simulator';
import { build, type RulesWorker, RulesWorkerConfig } from '@yujing/rules-worker';
import { RegistryDocument } from '@yujing/schemas';
import {
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  testKafka,
  uniqueGroupId,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningService, startServices, stopServices } from '../e2e/support/service-processes';
import { coBatch, E_A, E_B, twoCityRegistry } from './support/two-city-registry';

/**
 * Acknowledging from a notification message, across the real services: readings → the real
 * rules-worker (in-process) raises → the real alert-dispatcher (child process) pages the
 * enterprise's duty operator on a DingTalk robot (a local receiver checking the sign) with a
 * one-time link → POST to the real operator-api (child process) → ack command → rules-worker →
 * ack transition → the dispatcher cancels the county step. The link works once; forged is 403.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ACK_KEY = `ack-link-int-${Date.now()}-0123456789abcdef`;
// Margin for the ack path (API → Kafka → rules-worker → Kafka → dispatcher) on a loaded box.
const COUNTY_AFTER_MS = 10_000;

const robot = (base: string, name: string) => ({
  id: 'dt',
  kind: 'dingtalk',
  webhookUrl: `${base}/dingtalk/${name}?access_token=tok-${name}`,
  secret: `SEC-${name}-0123456789abcdef`,
});

function registry(robotBase: string): RegistryDocument {
  const base = twoCityRegistry();
  return RegistryDocument.parse({
    ...base,
    policies: [
      {
        id: 'ack-link-b',
        classification: ['B'],
        levels: [1, 2, 3, 4],
        steps: [
          { afterMs: 0, notify: 'enterprise' },
          { afterMs: COUNTY_AFTER_MS, notify: 'county' },
        ],
      },
    ],
    people: [
      ...[E_A, E_B].map((e) => ({
        id: `duty-${e}`,
        name: `值班员${e}`,
        scope: { level: 'enterprise', code: e },
        roles: ['enterprise-duty-operator'],
        channels: [robot(robotBase, `duty-${e}`)],
      })),
      ...[
        [E_A, '140105'],
        [E_B, '140213'],
      ].map(([e, county]) => ({
        id: `county-${county}`,
        name: `县值班员${county}`,
        scope: { level: 'county', code: county },
        roles: ['county-duty-officer'],
        channels: [robot(robotBase, `county-${e}`)],
      })),
    ],
  });
}

describe('acknowledge link in a DingTalk message stops the escalation', () => {
  let topics: TestTopics;
  let worker: RulesWorker | undefined;
  let services: RunningService[] = [];
  let apiBase = '';
  let robotServer: http.Server;
  const messages: RobotMessageLine[] = [];
  const t0 = Date.now() - 60_000;
  const alarmA = `${E_A}:CO-1:co-limits:${t0 + 10_000}`;
  const to = (name: string) => messages.filter((m) => m.path === `/dingtalk/${name}`);
  let producer: TypedProducer;

  beforeAll(async () => {
    const env = serviceEnv();
    topics = await createTestTopics({ partitions: 2, label: 'ack-link' });
    robotServer = http.createServer();
    await new Promise<void>((r) => robotServer.listen(0, '127.0.0.1', () => r()));
    const robotBase = `http://127.0.0.1:${(robotServer.address() as AddressInfo).port}`;
    const doc = registry(robotBase);
    const inbox = new DutyRobotInbox(doc.people, robotBase);
    robotServer.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const out = inbox.handle(req.url ?? '/', Buffer.concat(chunks).toString('utf8'), Date.now());
        messages.push(out.line);
        res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
      });
    });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    await publishRegistry(producer, doc, { changedBy: 'ack-link-test' });

    const run = topics.prefix.slice(0, -1);
    worker = build({
      config: RulesWorkerConfig.parse({
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: topics.prefix,
        GROUP_ID: uniqueGroupId('ack-rules'),
        TICK_INTERVAL_MS: '500ms',
        SESSION_TIMEOUT_MS: '10s',
        LOG_LEVEL: 'warn',
      }),
      logger: createLogger({ service: 'ack-link-rules-worker', level: 'warn' }),
      kafka: testKafka(),
    });
    const apiPort = await freePort();
    apiBase = `http://127.0.0.1:${apiPort}`;
    const [running] = await Promise.all([
      startServices(
        [
          {
            name: 'operator-api',
            portVar: 'PORT',
            port: apiPort,
            env: { CONSUMER_GROUP: uniqueGroupId('ack-api'), ACK_LINK_SECRET: ACK_KEY },
          },
          {
            name: 'alert-dispatcher',
            portVar: 'OPS_PORT',
            env: {
              KAFKA_GROUP_ID: uniqueGroupId('ack-dispatcher'),
              ALLOW_PRIVATE_WEBHOOK_TARGETS: '127.0.0.0/8',
              NOTIFY_ACK_LINK_SECRET: ACK_KEY,
              NOTIFY_ACK_BASE_URL: apiBase,
            },
          },
        ],
        {
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          TOPIC_PREFIX: topics.prefix,
          QUEUE_PREFIX: topics.prefix,
          QUESTDB_PG: env.questdbPg,
          QUESTDB_HTTP: env.questdbHttp,
          REDIS_URL: env.redisUrl,
          JWT_SECRET: `ack-link-jwt-${Date.now()}-0123456789abcdef`,
          NODE_ENV: 'development',
          INSTANCE_ID: run,
          COMMAND_WAIT_MS: '30s',
          LOG_LEVEL: 'info',
        },
        `${REPO_ROOT}/.run/${run}`,
      ),
      worker.start(),
    ]);
    services = running;
    await waitFor(() => worker!.ownedPartitions().length === 2, {
      timeoutMs: 60_000,
      message: 'rules-worker never owned both partitions',
    });
  }, 240_000);

  afterAll(async () => {
    await stopServices(services);
    await worker?.stop();
    await producer?.disconnect();
    await new Promise<void>((r) => robotServer?.close(() => r()));
    await Promise.allSettled([
      obliterateQueue(queueName('deliveries', topics.prefix)),
      obliterateQueue(queueName('escalation', topics.prefix)),
    ]);
    await topics?.cleanup();
  }, 120_000);

  it('the link acknowledges once as the person; the county is never paged for that alarm', async () => {
    await producer.send('readings', [
      { key: E_A, value: coBatch(E_A, 0, t0, 10) },
      { key: E_A, value: coBatch(E_A, 1, t0 + 10_000, 30) },
    ]);
    const first = await waitFor(() => to(`duty-${E_A}`).find((m) => m.outcome === 'accepted'), {
      timeoutMs: 60_000,
      message: 'the duty operator got the DingTalk message',
    });
    expect(first.event).toBe('报警');
    expect(first.payload?.alarm).toMatchObject({ alarmId: alarmA, level: 3 });
    const link = first.text?.match(/\((http:\/\/127\.0\.0\.1:\d+\/ack-links\?token=[^)]+)\)/)?.[1] ?? '';
    expect(link.startsWith(`${apiBase}/ack-links?token=`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('确认报警');

    const mac = link.slice(link.lastIndexOf('.') + 1); // the host has dots too
    const forged = await fetch(
      `${link.slice(0, link.length - mac.length)}${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`,
      {
        method: 'POST',
      },
    );
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'YJ_ERR_ACK_LINK_INVALID' });

    const ack = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
    const body = await ack.json();
    expect(ack.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ alarmId: alarmA, status: 'acknowledged' });
    const again = await fetch(link, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'YJ_ERR_ACK_LINK_USED' });

    // The person hears of the acknowledgement: the dispatcher has seen the ack (and cancelled the rest).
    await waitFor(() => to(`duty-${E_A}`).some((m) => m.event === '报警已确认'), {
      timeoutMs: 60_000,
      message: 'alarm.acknowledged reached the duty operator',
    });

    // A later alarm of the other enterprise, left unacknowledged, reaches its county after the same
    // delay: once it has, the acknowledged alarm's county step (due earlier) would have fired too.
    await producer.send('readings', [
      { key: E_B, value: coBatch(E_B, 0, Date.now() - 20_000, 10) },
      { key: E_B, value: coBatch(E_B, 1, Date.now() - 10_000, 30) },
    ]);
    await waitFor(() => to(`county-${E_B}`).some((m) => m.outcome === 'accepted'), {
      timeoutMs: 60_000,
      message: 'the unacknowledged alarm reached its county duty officer',
    });
    expect(to(`county-${E_A}`)).toEqual([]);
    expect(messages.filter((m) => m.outcome === 'rejected')).toEqual([]);
  }, 180_000);
});
