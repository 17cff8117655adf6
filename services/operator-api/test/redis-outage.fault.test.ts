import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import { createMetricsRegistry } from '@yujing/service-runtime';
import {
  createTestTopics,
  freePort,
  PrivateRedis,
  serviceEnv,
  type TestTopics,
  uniqueGroupId,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type OperatorApi } from '../src/app';
import { RedisRevocations } from '../src/auth/token-revocation';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { AlarmEventHub } from '../src/feed/alarm-event-hub';
import { createApiRedis } from '../src/storage/api-redis';
import { BullmqDeliveryQueue } from '../src/storage/bullmq-delivery-queue';
import {
  bearer,
  fixtureDocument,
  MemoryHistory,
  RecordingBus,
  RecordingRegistryWriter,
  TAIYUAN,
  token,
  VERIFIER_OPTIONS,
} from './route-harness';

/**
 * Issue #14 hole 7, "Redis down ≠ API down": the API wired with its real Redis pieces (the clients
 * of main.ts, the rate-limit store, the BullMQ deliveries queue, the jti deny-list) on a redis-server
 * of this test's own, which is killed with SIGKILL and started again. Meanwhile every route that does
 * not need Redis answers as before, rate limits still hold (counted in memory), a revoked token stays
 * refused (the deny-list copy), and the routes that do need Redis answer 503 instead of 500 or hanging.
 */
const LIMIT = 5;
const regulatorScope = { level: 'city', code: TAIYUAN.city };

let redis: PrivateRedis;
let clients: ReturnType<typeof createApiRedis>;
let revocations: RedisRevocations;
let deliveries: BullmqDeliveryQueue;
let api: OperatorApi;
let probe: Redis;
let prefix: string;

beforeAll(async () => {
  redis = await PrivateRedis.start({ appendonly: true });
  probe = new Redis(redis.url, { maxRetriesPerRequest: null });
  probe.on('error', () => {});
  clients = createApiRedis(redis.url);
  const logger = createLogger({ service: 'operator-api-redis-outage', level: 'silent' });
  prefix = `${uniqueId('api-redis')}-`;
  revocations = new RedisRevocations(clients.fast, prefix, logger);
  await revocations.start(200);
  deliveries = new BullmqDeliveryQueue(clients.queue, prefix);
  const store = new RegistryStore();
  store.loadDocument(fixtureDocument());
  const hub = new AlarmEventHub({ ringSize: 100, bootId: 'outage' });
  api = await build({
    logger,
    verifier: createTokenVerifier({ ...VERIFIER_OPTIONS, revocation: revocations }),
    revocations,
    registry: store,
    hub,
    bus: new RecordingBus(hub),
    history: new MemoryHistory(),
    deliveries,
    registryWriter: new RecordingRegistryWriter(),
    metrics: createMetricsRegistry('operator-api-redis-outage'),
    readiness: {},
    commandWaitMs: 1000,
    rateLimitPerMin: LIMIT,
    rateLimitRedis: clients.fast,
  });
  await api.app.ready();
});

afterAll(async () => {
  await api?.app.close();
  revocations?.stop();
  await deliveries?.close().catch(() => {});
  await clients?.close();
  probe?.disconnect();
  await redis?.stop();
});

const get = (url: string, t: string) => api.app.inject({ url, headers: bearer(t) });
const admin = () => token('admin', { level: 'province', code: '140000' }, { jti: uniqueId('admin') });

describe('operator-api while its Redis is killed and restarted', () => {
  it('counts rate limits in Redis, answers through an outage, and comes back', async () => {
    // Healthy: the limit is counted in Redis (shared by all instances).
    const a = await token('regulator', regulatorScope, { jti: 'tok-before' });
    const first = await get('/api/v1/enterprises', a);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
    expect(await probe.get('yj-api-rate:tok-before')).toBe('1');
    const leaked = await token('regulator', regulatorScope, { jti: 'tok-leaked' });
    const revoke = await api.app.inject({
      method: 'POST',
      url: '/api/v1/admin/tokens/revoke',
      headers: bearer(await admin()),
      payload: { jti: 'tok-leaked' },
    });
    expect(revoke.statusCode).toBe(200);
    expect((await get('/api/v1/admin/deliveries/dead-lettered', await admin())).statusCode).toBe(200);
    // What a crash keeps is what reached the AOF file: wait for the revocation to be there.
    await redis.waitForAof('tok-leaked');

    await redis.kill9();

    // Down: routes without Redis answer, the limit still holds (in memory), revoked stays revoked.
    const b = await token('regulator', regulatorScope, { jti: 'tok-during' });
    const during: number[] = [];
    for (let i = 0; i <= LIMIT; i++) during.push((await get('/api/v1/enterprises', b)).statusCode);
    expect(during).toEqual([...Array(LIMIT).fill(200), 429]);
    expect((await get('/api/v1/alarms', await admin())).statusCode).toBe(200);
    const refused = await get('/api/v1/enterprises', leaked);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('tok-leaked was revoked');
    // Routes that need Redis say so: 503, not 500, and they do not hang.
    const dead = await get('/api/v1/admin/deliveries/dead-lettered', await admin());
    expect(dead.statusCode).toBe(503);
    expect(dead.json()).toMatchObject({ code: 'YJ_ERR_DEPENDENCY_UNAVAILABLE' });
    const revokeDown = await api.app.inject({
      method: 'POST',
      url: '/api/v1/admin/tokens/revoke',
      headers: bearer(await admin()),
      payload: { jti: 'another' },
    });
    expect(revokeDown.statusCode).toBe(503);

    await redis.launch();

    // Back: AOF kept the revocation, the queue answers again, counting returns to Redis.
    await waitFor(
      async () => (await get('/api/v1/admin/deliveries/dead-lettered', await admin())).statusCode === 200,
      { timeoutMs: 20_000, message: 'deliveries route answers 200 after Redis is back' },
    );
    await waitFor(() => revocations.refresh(), {
      timeoutMs: 20_000,
      message: 'deny-list re-read from Redis',
    });
    expect(revocations.isRevoked('tok-leaked')).toBe(true);
    expect(Number(await probe.zscore(`${prefix}yj-api:revoked-jti`, 'tok-leaked'))).toBeGreaterThan(0);
    const c = await token('regulator', regulatorScope, { jti: 'tok-after' });
    expect((await get('/api/v1/enterprises', c)).statusCode).toBe(200);
    expect(await probe.get('yj-api-rate:tok-after')).toBe('1');
  });
});

/**
 * The same outage under the real process (`node --import tsx src/main.ts`, as services.sh runs it),
 * so main.ts's wiring is what is tested: its Redis clients, the store, readiness without Redis.
 */
describe('the operator-api process while its Redis is killed', () => {
  const secret = `redis-outage-${randomBytes(12).toString('hex')}`;
  const logFile = new URL(`../../../.run/redis-outage-${Date.now()}/operator-api.log`, import.meta.url);
  let topics: TestTopics;
  let own: PrivateRedis;
  let child: ChildProcess | undefined;
  let url = '';
  beforeAll(async () => {
    own = await PrivateRedis.start({ appendonly: true });
    topics = await createTestTopics({ partitions: 1, label: 'api-redis-proc' });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await mkdir(new URL('.', logFile), { recursive: true });
    const log = createWriteStream(logFile);
    const env = serviceEnv();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: new URL('..', import.meta.url),
      env: {
        ...process.env,
        PORT: String(port),
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: topics.prefix,
        QUEUE_PREFIX: topics.prefix,
        QUESTDB_PG: env.questdbPg,
        REDIS_URL: own.url,
        JWT_SECRET: secret,
        CONSUMER_GROUP: uniqueGroupId('api-redis-proc'),
        INSTANCE_ID: uniqueId('api-redis'),
        RATE_LIMIT_PER_MIN: String(LIMIT),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    await waitFor(
      async () => {
        if (child?.exitCode !== null)
          throw new Error(`operator-api exited: ${await readFile(logFile, 'utf8')}`);
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok;
      },
      { timeoutMs: 150_000, intervalMs: 500, message: 'operator-api /readyz' },
    );
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    await topics?.cleanup();
    await own?.stop();
  });

  const call = async (path: string, t: string) => {
    const res = await fetch(`${url}${path}`, { headers: bearer(t) });
    return res.status;
  };
  const sign = (role: 'regulator' | 'admin', jti: string) =>
    token(role, role === 'admin' ? { level: 'province', code: '140000' } : regulatorScope, { secret, jti });

  it('keeps answering and stays ready; Redis-backed routes answer 503 until Redis is back', async () => {
    expect(await call('/api/v1/enterprises', await sign('regulator', 'proc-before'))).toBe(200);
    await own.kill9();
    const t = await sign('regulator', 'proc-during');
    const during: number[] = [];
    for (let i = 0; i <= LIMIT; i++) during.push(await call('/api/v1/enterprises', t));
    expect(during).toEqual([...Array(LIMIT).fill(200), 429]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await call('/api/v1/admin/deliveries/dead-lettered', await sign('admin', 'proc-admin-1'))).toBe(
      503,
    );
    await own.launch();
    await waitFor(
      async () =>
        (await call(
          '/api/v1/admin/deliveries/dead-lettered',
          await sign('admin', uniqueId('proc-admin')),
        )) === 200,
      { timeoutMs: 30_000, message: 'deliveries route back after Redis restarts' },
    );
  });
});
