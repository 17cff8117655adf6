import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@yujing/config';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { hashMqttPassword, publishRegistry, RegistryStore, sha256Hex } from '@yujing/registry';
import { createEnterpriseState, evaluateBatch } from '@yujing/rules-core';
import { type AlarmTransitionEvent, type ReadingBatch, RegistryDocument } from '@yujing/schemas';
import { serviceEnv } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';
import { RulesWorkerConfig } from '../src/config';
import { RulesContexts } from '../src/rules-contexts';

/** A small registry: `count` steel enterprises, one gateway and two CO detectors each. */
export function testRegistry(count: number): RegistryDocument {
  const enterprises = Array.from({ length: count }, (_, i) => `140105T${String(i).padStart(3, '0')}`);
  const credentials = {
    mqttPasswordHash: hashMqttPassword('dev-only-test'),
    httpTokenSha256: sha256Hex('dev-only-test'),
  };
  return RegistryDocument.parse({
    enterprises: enterprises.map((id) => ({
      id,
      name: `测试钢铁 ${id}`,
      region: { province: '140000', city: '140100', county: '140105' },
      industries: ['steel'],
      classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
      connectionRequiredBy: '2025-12-31',
    })),
    gateways: enterprises.map((enterpriseId) => ({
      enterpriseId,
      id: 'gw-01',
      heartbeatTimeoutMs: 3_600_000,
      credentials,
    })),
    points: enterprises.flatMap((enterpriseId) =>
      ['CO-1', 'CO-2'].map((code) => ({
        enterpriseId,
        code,
        name: `CO ${code}`,
        kind: 'co-concentration',
        unit: 'ppm',
        gatewayId: 'gw-01',
        range: { min: 0, max: 1000 },
        limits: { h: 24, hh: 160 },
        deadband: 4,
        samplingPeriodMs: 600_000,
        template: 'test.co-detector',
      })),
    ),
    templates: [
      {
        id: 'test.co-detector',
        rules: [{ id: 'co-limits', enabled: true, type: 'threshold', levels: { hh: 1, h: 3 } }],
      },
    ],
  });
}

export async function publishTestRegistry(
  kafka: Kafka,
  prefix: string,
  doc: RegistryDocument,
): Promise<void> {
  const producer = new TypedProducer(kafka, { prefix });
  await producer.connect();
  try {
    await publishRegistry(producer, doc, { changedBy: 'rules-worker-test' });
  } finally {
    await producer.disconnect();
  }
}

/** Worker env for a test: unique prefix and group, fast session, a long de-escalation hold. */
export function workerEnv(prefix: string, groupId: string): Record<string, string> {
  return {
    KAFKA_BROKERS: serviceEnv().kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    GROUP_ID: groupId,
    OPS_PORT: '0',
    TICK_INTERVAL_MS: '200ms',
    SESSION_TIMEOUT_MS: '10s',
    DEESCALATE_HOLD_MS: '1h',
    LOG_LEVEL: 'warn',
  };
}

export const workerConfig = (prefix: string, groupId: string) =>
  loadConfig(RulesWorkerConfig, workerEnv(prefix, groupId));
export const testLogger = () => createLogger({ service: 'rules-worker-test', level: 'warn' });

/** Runs the real entry point as a child node process (no wrapper, so SIGKILL reaches the worker itself). */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** What the pure engine says the transitions must be, enterprise by enterprise in produce order. */
export function expectedTransitions(
  doc: RegistryDocument,
  batches: readonly ReadingBatch[],
): AlarmTransitionEvent[] {
  const store = new RegistryStore();
  store.loadDocument(doc);
  const contexts = new RulesContexts(store, { deescalateHoldMs: 3_600_000 });
  const states = new Map<string, ReturnType<typeof createEnterpriseState>>();
  const out: AlarmTransitionEvent[] = [];
  for (const b of batches) {
    const state = states.get(b.enterpriseId) ?? createEnterpriseState(b.enterpriseId);
    states.set(b.enterpriseId, state);
    out.push(...evaluateBatch(state, b, contexts.get(b.enterpriseId)!, 0).transitions);
  }
  return out;
}

export const transitionKey = (t: AlarmTransitionEvent) =>
  `${t.alarmId}|${t.seq}|${t.transition}|${t.state}|L${t.level}`;

/** A batch of one reading per point for an enterprise, event time `ts`. */
export function batchOf(
  enterpriseId: string,
  seq: number,
  ts: number,
  values: Record<string, number>,
): ReadingBatch {
  return {
    v: 1,
    enterpriseId,
    gatewayId: 'gw-01',
    seq,
    source: 'simulator',
    sentAt: ts,
    receivedAt: Date.now(),
    readings: Object.entries(values).map(([point, v]) => ({
      point,
      kind: 'co-concentration',
      ts,
      v,
      q: 'good' as const,
    })),
  };
}

/** Members of a consumer group once it is Stable (undefined while rebalancing). */
export async function stableMembers(kafka: Kafka, groupId: string): Promise<number | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    return g && g.state === 'Stable' ? g.members.length : undefined;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A deterministic stream: per round one batch per enterprise with both CO points; values cycle
 * through normal, h, hh and back with a phase per enterprise, 30 s of event time per round.
 */
export function rampStream(enterprises: readonly string[], rounds: number, t0: number): ReadingBatch[] {
  const cycle = [8, 12, 30, 45, 200, 180, 60, 21, 15, 10];
  const out: ReadingBatch[] = [];
  for (let r = 0; r < rounds; r++) {
    enterprises.forEach((id, e) => {
      const a = cycle[(r + e) % cycle.length]!;
      const b = cycle[(r + 2 * e + 3) % cycle.length]!;
      out.push(batchOf(id, r, t0 + r * 30_000, { 'CO-1': a, 'CO-2': b }));
    });
  }
  return out;
}
