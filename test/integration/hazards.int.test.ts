import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { applySchema, QuestDbQuery } from '@yujing/questdb';
import { queueName } from '@yujing/queues';
import { publishRegistry } from '@yujing/registry';
import { walkHazardThroughItsLife } from '@yujing/regulator-simulator';
import { build, type RulesWorker, RulesWorkerConfig } from '@yujing/rules-worker';
import { type HazardRecord, RegistryDocument } from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
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
import { mintWithCli } from './support/cli-token';
import { coBatch, E_A, twoCityRegistry } from './support/two-city-registry';

/**
 * Issue 15's hazard register across real services: the rules-worker (in-process) raises a CO alarm
 * from readings on the real Kafka; the real operator-api (child process, main.ts: the Kafka-backed
 * supervision store on yj.supervision.v1) promotes it to a 重大事故隐患 that goes confirmed →
 * rectifying → rectified → verified closed, and still has it after a restart. An inspection finding
 * becomes a hazard; the yearly cap of a grade-1 enterprise holds; a public 举报 is rate-limited and
 * counts only once a regulator accepts it.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const JWT_SECRET = `hazards-${randomBytes(16).toString('hex')}`;
const DDL_DIR = resolve(REPO_ROOT, 'deploy/questdb');
const E_DUST = '140105HZ001'; // 小店区 metal-dust, 标准化一级: one administrative inspection a year
const DAY = 86_400_000;

const mint = (role: string, scope: string, sub: string) => mintWithCli(JWT_SECRET, role, scope, sub);

function registry(): RegistryDocument {
  const doc = twoCityRegistry();
  return RegistryDocument.parse({
    ...doc,
    enterprises: [
      ...doc.enterprises,
      {
        id: E_DUST,
        name: '小店隐患测试铝粉加工',
        region: { province: '140000', city: '140100', county: '140105' },
        industries: ['metal-dust'],
        hazards: ['explosive-dust'],
        dustWorkers: 40,
        classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
        standardizationGrade: '1',
        connectionRequiredBy: '2024-12-31',
      },
    ],
  });
}

describe('hazards: alarm → hazard → rectified → verified; inspection finding → hazard; 举报', () => {
  const env = serviceEnv();
  let topics: TestTopics;
  let tables: ReturnType<typeof createQuestDbTablePrefix>;
  let worker: RulesWorker | undefined;
  let services: RunningService[] = [];
  let startApi: () => Promise<RunningService[]>;
  let base = '';
  const tokens = { operator: '', county: '', city: '', enterprise: '' };
  const t0 = Date.now() - 60_000;
  const alarmId = `${E_A}:CO-1:co-limits:${t0 + 10_000}`;

  const api = (path: string, token: string | undefined, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const clearance = async (token: string) =>
    json<{
      cleared: boolean;
      rows: { level: string; code: string; industry: string; open: number; unconfirmed: number }[];
    }>(
      await api(
        `/api/v1/reports/hazard-clearance?from=${Date.now() - 30 * DAY}&to=${Date.now() + 1000}`,
        token,
      ),
      200,
    );
  const countyRow = (r: Awaited<ReturnType<typeof clearance>>, industry: string) =>
    r.rows.find((x) => x.level === 'county' && x.code === '140105' && x.industry === industry);

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2, label: 'hazards' });
    tables = createQuestDbTablePrefix('hazards');
    const query = new QuestDbQuery({ connectionString: env.questdbPg });
    await applySchema(query, DDL_DIR, { tablePrefix: tables.prefix });
    await query.close();
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    await publishRegistry(producer, registry(), { changedBy: 'hazards-test' });
    await producer.disconnect();
    const run = topics.prefix.slice(0, -1);
    worker = build({
      config: RulesWorkerConfig.parse({
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: topics.prefix,
        GROUP_ID: uniqueGroupId('hazards-rules'),
        TICK_INTERVAL_MS: '500ms',
        SESSION_TIMEOUT_MS: '10s',
        LOG_LEVEL: 'warn',
      }),
      logger: createLogger({ service: 'hazards-rules-worker', level: 'warn' }),
      kafka: testKafka(),
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    startApi = () =>
      startServices(
        [
          {
            name: 'operator-api',
            portVar: 'PORT',
            port,
            env: { CONSUMER_GROUP: uniqueGroupId('hazards-api'), TIP_OFF_PER_IP_PER_HOUR: '2' },
          },
        ],
        {
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          TOPIC_PREFIX: topics.prefix,
          QDB_TABLE_PREFIX: tables.prefix,
          QUEUE_PREFIX: topics.prefix,
          QUESTDB_PG: env.questdbPg,
          QUESTDB_HTTP: env.questdbHttp,
          REDIS_URL: env.redisUrl,
          JWT_SECRET,
          INSTANCE_ID: run,
          LOG_LEVEL: 'info',
        },
        `${REPO_ROOT}/.run/${run}`,
      );
    const [running] = await Promise.all([startApi(), worker.start()]);
    services = running;
    await waitFor(() => worker!.ownedPartitions().length === 2, {
      timeoutMs: 60_000,
      message: 'rules-worker never owned both partitions',
    });
    [tokens.operator, tokens.county, tokens.city, tokens.enterprise] = await Promise.all([
      mint('operator', 'province:140000', 'op-hazards'),
      mint('regulator', 'county:140105', 'reg-xiaodian'),
      mint('regulator', 'city:140100', 'reg-taiyuan'),
      mint('enterprise', `enterprise:${E_A}`, 'ent-ty'),
    ]);
  }, 240_000);

  afterAll(async () => {
    await stopServices(services);
    await worker?.stop();
    await obliterateQueue(queueName('deliveries', topics.prefix)).catch(() => undefined);
    await tables?.cleanup().catch(() => undefined);
    await topics?.cleanup();
  }, 120_000);

  it('promotes a real alarm to a hazard that is confirmed, rectified, verified closed and survives a restart', async () => {
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    try {
      await producer.send('readings', [
        { key: E_A, value: coBatch(E_A, 0, t0, 10) },
        { key: E_A, value: coBatch(E_A, 1, t0 + 10_000, 30) },
      ]);
    } finally {
      await producer.disconnect();
    }
    const promote = {
      source: { kind: 'alarm', alarmId },
      criterionId: 'steel-bf-top-pressure',
      title: '高炉煤气区域CO超限：炉顶放散阀联锁未投入',
    };
    // 404 (no side effect) until the API has seen the worker's raise on yj.alarms.v1.
    const created = await waitFor(
      async () => {
        const res = await api('/api/v1/hazards', tokens.operator, promote);
        return res.status === 404 ? undefined : json<HazardRecord>(res, 201);
      },
      { timeoutMs: 60_000, message: `the API never saw the raise of ${alarmId}` },
    );
    expect(created).toMatchObject({
      enterpriseId: E_A,
      state: 'reported',
      source: { kind: 'alarm', alarmId },
    });
    const path = `/api/v1/hazards/${created.id}`;

    expect((await api(`${path}/confirm`, tokens.enterprise, { deadline: Date.now() + 7 * DAY })).status).toBe(
      403,
    );
    const confirmed = await json<HazardRecord>(
      await api(`${path}/confirm`, tokens.county, {
        deadline: Date.now() + 7 * DAY,
        responsible: { name: '王安全', phone: '0351-6100000' },
      }),
      200,
    );
    expect(confirmed.state).toBe('confirmed');
    const open = await clearance(tokens.city);
    expect(countyRow(open, 'steel')?.open).toBe(1);
    expect(open.cleared).toBe(false);

    // A step out of order is refused; the enterprise files the plan and reports the rectification.
    expect((await api(`${path}/verify`, tokens.county, {})).status).toBe(409);
    await json(
      await api(`${path}/plan`, tokens.enterprise, { plan: '恢复放散阀联锁并加装联锁投入状态监测' }),
      200,
    );
    await json(
      await api(`${path}/rectified`, tokens.enterprise, {
        comment: '联锁已恢复，监测点已接入',
        attachments: ['oss://yujing/hazards/photo-1.jpg'],
      }),
      200,
    );
    const closed = await json<HazardRecord>(
      await api(`${path}/verify`, tokens.county, { comment: '现场复核合格' }),
      200,
    );
    expect(closed).toMatchObject({ state: 'closed', version: 5 });
    expect(countyRow(await clearance(tokens.city), 'steel')?.open).toBe(0);

    // The register lives on yj.supervision.v1, not in the API's memory.
    await stopServices(services);
    services = await startApi();
    const after = await json<HazardRecord>(await api(path, tokens.city), 200);
    expect(after.state).toBe('closed');
    expect(after.history.map((e) => `${e.action}:${e.actor.id}`)).toEqual([
      'report:op-hazards',
      'confirm:reg-xiaodian',
      'plan:ent-ty',
      'rectified:ent-ty',
      'verify:reg-xiaodian',
    ]);
    expect(after.history[3]?.attachments).toEqual(['oss://yujing/hazards/photo-1.jpg']);
  });

  it("walks the demo's hazard through its whole life (simulators/regulator hazard-walkthrough)", async () => {
    // CO-1 back to normal and over the limit again: the alarm (never acknowledged, so the same one,
    // ISA-18.2 re-alarm) has a new transition that the restarted API sees.
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    try {
      await producer.send('readings', [
        { key: E_A, value: coBatch(E_A, 2, t0 + 20_000, 10) },
        { key: E_A, value: coBatch(E_A, 3, t0 + 30_000, 30) },
      ]);
    } finally {
      await producer.disconnect();
    }
    await waitFor(
      async () => (await api(`/api/v1/alarms/${encodeURIComponent(alarmId)}`, tokens.operator)).ok,
      {
        timeoutMs: 60_000,
        message: `the restarted API never saw a transition of ${alarmId}`,
      },
    );
    const lines: string[] = [];
    const out = await walkHazardThroughItsLife({
      base,
      tokens: {
        operator: tokens.operator,
        county: tokens.county,
        enterprise: tokens.enterprise,
        city: tokens.city,
      },
      alarmId,
      criterionId: 'steel-water-cooled-elements',
      pauseMs: 0,
      say: (l) => lines.push(l),
    });
    expect(out.states).toEqual(['reported', 'confirmed', 'rectifying', 'rectified', 'closed']);
    expect(lines).toHaveLength(5);
    const stored = await json<HazardRecord>(
      await api(`/api/v1/hazards/${out.hazardId}`, tokens.operator),
      200,
    );
    expect(stored.history.at(-1)?.actor.id).toBe('reg-taiyuan');
  });

  it('registers an inspection finding as a confirmed hazard and holds the yearly cap of a grade-1 enterprise', async () => {
    const inspection = {
      enterpriseId: E_DUST,
      summary: '除尘系统专项检查',
      findings: [
        {
          title: '1#干式除尘器未设置泄爆装置',
          criterionId: 'dust-no-explosion-protection',
          responsible: { name: '赵设备' },
          deadline: Date.now() + 14 * DAY,
        },
        { title: '粉尘清扫记录不全' },
      ],
    };
    const out = await json<{
      inspection: { id: string; findings: { hazardId?: string }[] };
      hazards: HazardRecord[];
    }>(await api('/api/v1/inspections', tokens.county, inspection), 201);
    expect(out.hazards).toHaveLength(1);
    expect(out.hazards[0]).toMatchObject({
      state: 'confirmed',
      enterpriseId: E_DUST,
      source: { kind: 'inspection', inspectionId: out.inspection.id },
    });
    expect(out.inspection.findings[0]?.hazardId).toBe(out.hazards[0]?.id);
    const listed = await json<{ items: HazardRecord[] }>(
      await api(`/api/v1/hazards?enterprise=${E_DUST}`, tokens.city),
      200,
    );
    expect(listed.items.map((h) => h.id)).toEqual([out.hazards[0]?.id]);
    expect(countyRow(await clearance(tokens.city), 'metal-dust')?.open).toBe(1);

    const again = await api('/api/v1/inspections', tokens.county, { enterpriseId: E_DUST, findings: [] });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('YJ_ERR_INSPECTION_CAP');
    const worklist = await json<{
      plan: { enterprises: number; cap: number; done: number; remaining: number };
      items: { enterpriseId: string; remaining: number; cap: number }[];
    }>(await api('/api/v1/inspections/worklist?region=140105', tokens.county), 200);
    expect(worklist.items.find((i) => i.enterpriseId === E_DUST)).toMatchObject({ cap: 1, remaining: 0 });
    // 小店区: E_A (steel, 未定级: 12) and E_DUST (dust, 一级: 1, done).
    expect(worklist.plan).toEqual({ enterprises: 2, cap: 13, done: 1, remaining: 12 });
    expect(worklist.items.at(-1)?.enterpriseId).toBe(E_DUST);
  });

  it('takes an anonymous 举报 without a token, limits it per address, and counts it only once accepted', async () => {
    const report = {
      county: '140105',
      enterpriseName: '小店某铝粉厂',
      description: '车间除尘器没有泄爆片，粉尘堆积很厚',
    };
    const first = await json<{ id: string }>(await api('/public/v1/tip-offs', undefined, report), 202);
    await json(await api('/public/v1/tip-offs', undefined, report), 202);
    expect((await api('/public/v1/tip-offs', undefined, report)).status).toBe(429);

    const before = countyRow(await clearance(tokens.city), 'metal-dust');
    const pending = await json<{ items: { id: string; status: string }[] }>(
      await api('/api/v1/tip-offs?status=pending', tokens.county),
      200,
    );
    expect(pending.items.map((t) => t.id)).toContain(first.id);
    expect(
      (
        await api(`/api/v1/tip-offs/${first.id}/accept`, tokens.enterprise, {
          enterpriseId: E_DUST,
          criterionId: 'dust-no-explosion-protection',
          title: '企业自行受理',
        })
      ).status,
    ).toBe(403);
    const accepted = await json<{ hazard: HazardRecord }>(
      await api(`/api/v1/tip-offs/${first.id}/accept`, tokens.county, {
        enterpriseId: E_DUST,
        criterionId: 'dust-no-explosion-protection',
        title: '群众举报：除尘器无泄爆',
      }),
      201,
    );
    expect(accepted.hazard).toMatchObject({
      state: 'reported',
      source: { kind: 'public-report', tipOffId: first.id },
    });
    const after = countyRow(await clearance(tokens.city), 'metal-dust');
    expect(after?.unconfirmed).toBe((before?.unconfirmed ?? 0) + 1);
    expect(after?.open).toBe(before?.open);
  });
});
