import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { queueName } from '@yujing/queues';
import { publishRegistry } from '@yujing/registry';
import type { WebhookPayload } from '@yujing/schemas';
import {
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import { verifyWebhook } from '@yujing/webhook-signature';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E1, raiseEvent, SECRET, testRegistry } from './dispatch-fixtures';
import { closedPort, WebhookReceiver } from './webhook-receiver';

/**
 * The dispatcher as a real process (`node --import tsx src/main.ts`), killed with SIGKILL while escalation
 * steps are scheduled, then started again: the steps, kept as delayed jobs in Redis, still go out.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = path.join(ROOT, 'services/alert-dispatcher/src/main.ts');
const CITY_MS = 10_000;
const PROVINCE_MS = 14_000;

let topics: TestTopics;
let receiver: WebhookReceiver;
let env: Record<string, string>;
let queuePrefix: string;
const children: ChildProcess[] = [];
const output: string[] = [];

function startDispatcher(): ChildProcess {
  // One process (no tsx wrapper in between), so SIGKILL really kills the dispatcher.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  children.push(child);
  return child;
}

async function waitReady(): Promise<void> {
  await waitFor(
    async () =>
      (await fetch(`http://127.0.0.1:${env.OPS_PORT}/readyz`).catch(() => undefined))?.status === 200,
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: `dispatcher ready (output: ${output.join('').slice(-2000)})`,
    },
  );
}

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 2, label: 'dispatch-restart' });
  receiver = await new WebhookReceiver().start();
  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  const doc = testRegistry(receiver.url, `http://127.0.0.1:${await closedPort()}/hook/down`, {
    cityMs: CITY_MS,
    provinceMs: PROVINCE_MS,
  });
  await publishRegistry(producer, doc, { changedBy: 'test' });
  await producer.disconnect();
  queuePrefix = `${uniqueId('dr')}-`;
  const s = serviceEnv();
  env = {
    KAFKA_BROKERS: s.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: uniqueId('dispatcher'),
    KAFKA_SESSION_TIMEOUT_MS: '6s',
    TOPIC_PREFIX: topics.prefix,
    REDIS_URL: s.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    OPS_PORT: String(await closedPort()),
    ALLOW_PRIVATE_WEBHOOK_TARGETS: '127.0.0.0/8',
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await receiver?.stop();
  await Promise.allSettled([
    obliterateQueue(queueName('escalation', queuePrefix)),
    obliterateQueue(queueName('deliveries', queuePrefix)),
  ]);
  const redis = new Redis(serviceEnv().redisUrl);
  const keys = await redis.keys(`yj-dispatch:${queuePrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await topics?.cleanup();
});

describe('dispatcher killed while steps are scheduled', () => {
  it('a restarted dispatcher still delivers every step, none early, none twice', async () => {
    const first = startDispatcher();
    await waitReady();
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    const raise = raiseEvent(E1, 1);
    await producer.send('alarms', [{ key: E1, value: raise }]);
    await producer.disconnect();
    await waitFor(
      () =>
        receiver.for('ent-e1', raise.alarmId).length > 0 &&
        receiver.for('county-140105', raise.alarmId).length > 0,
      {
        message: 'immediate steps delivered by the first process',
      },
    );

    first.kill('SIGKILL');
    await waitFor(() => first.signalCode === 'SIGKILL', { message: 'first dispatcher killed' });
    expect(receiver.for('city-140100', raise.alarmId)).toEqual([]); // still pending in Redis

    const second = startDispatcher();
    await waitReady();
    const [city, province] = await waitFor(
      () => {
        const c = receiver.for('city-140100', raise.alarmId)[0];
        const p = receiver.for('province-140000', raise.alarmId)[0];
        return c && p && ([c, p] as const);
      },
      {
        timeoutMs: PROVINCE_MS + 20_000,
        message: `city and province delivered (output: ${output.join('').slice(-2000)})`,
      },
    );
    expect(city.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + CITY_MS);
    expect(province.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + PROVINCE_MS);
    for (const r of [city, province]) {
      expect(verifyWebhook({ secret: SECRET, body: r.body, headers: r.headers }).ok).toBe(true);
      expect((JSON.parse(r.body) as WebhookPayload).event).toBe('alarm.escalated');
    }
    expect(receiver.for('ent-e1', raise.alarmId)).toHaveLength(1);
    expect(receiver.for('county-140105', raise.alarmId)).toHaveLength(1);

    // Graceful stop: SIGTERM drains and closes everything, exit code 0.
    second.kill('SIGTERM');
    await waitFor(() => second.exitCode !== null || second.signalCode !== null, {
      timeoutMs: 40_000,
      message: 'dispatcher exited',
    });
    expect(second.exitCode, output.join('').slice(-3000)).toBe(0);
  });
});
