import { fileURLToPath } from 'node:url';
import { createLogger } from '@yujing/logger';
import {
  applySchema,
  createIlpSender,
  type IlpWriter,
  QuestDbQuery,
  type TableNames,
  tableNames,
} from '@yujing/questdb';
import type { ReadingBatch } from '@yujing/schemas';
import { serviceEnv, uniqueGroupId } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { buildStoreWriter, type StoreWriter } from '../src/app';

export const DDL_DIR = fileURLToPath(new URL('../../../deploy/questdb', import.meta.url));
export const T0 = Date.parse('2026-11-28T02:00:00.000Z');

export interface RunningWriter {
  app: StoreWriter;
  registry: Registry;
  writer: IlpWriter;
  tables: TableNames;
  groupId: string;
  stop(): Promise<void>;
}

/** A store-writer on the test topics and tables, as main.ts wires it (without the ops server). */
export async function startWriter(opts: {
  kafka: Kafka;
  topicPrefix: string;
  tablePrefix: string;
  groupId?: string;
  applyDdl?: boolean;
  query: QuestDbQuery;
}): Promise<RunningWriter> {
  const env = serviceEnv();
  const tables =
    opts.applyDdl === false
      ? tableNames(opts.tablePrefix)
      : await applySchema(opts.query, DDL_DIR, { tablePrefix: opts.tablePrefix });
  const writer = await createIlpSender({
    httpUrl: env.questdbHttp,
    retryTimeoutMs: 500,
    requestTimeoutMs: 5_000,
  });
  const registry = new Registry();
  const groupId = opts.groupId ?? uniqueGroupId('sw');
  const app = buildStoreWriter({
    config: {
      TOPIC_PREFIX: opts.topicPrefix,
      CONSUMER_GROUP: groupId,
      PARTITIONS_CONCURRENCY: 4,
      MAX_BYTES_PER_PARTITION: 1024 * 1024,
      FETCH_MAX_WAIT: 200,
      FETCH_MIN_BYTES: 1,
      WRITE_MAX_ROWS: 1_000,
      MAX_FUTURE: 86_400_000,
      RETRY_INITIAL: 100,
      RETRY_MAX: 1_000,
    },
    kafka: opts.kafka,
    writer,
    tables,
    logger: createLogger({ service: 'store-writer-test', level: 'warn' }),
    registry,
  });
  await app.start();
  return {
    app,
    registry,
    writer,
    tables,
    groupId,
    async stop() {
      await app.stop();
      await writer.close();
    },
  };
}

/** Sum of a counter/gauge in a registry (all label values). */
export async function metricTotal(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  return (await metric.get()).values.reduce((n, v) => n + v.value, 0);
}

/** `count` reading batches of `size` readings, spread over 4 enterprises, every reading unique. */
export function readingBatches(count: number, size: number, startSeq = 0): ReadingBatch[] {
  return Array.from({ length: count }, (_, b) => {
    const seq = startSeq + b;
    return {
      v: 1,
      enterpriseId: `14010500000${seq % 4}`,
      gatewayId: 'gw-01',
      seq,
      source: 'simulator',
      sentAt: T0 + seq * 1000,
      receivedAt: T0 + seq * 1000 + 50,
      readings: Array.from({ length: size }, (_, i) => ({
        point: `CO-${i}`,
        kind: 'gas-co',
        ts: T0 + seq * 1000,
        v: i + seq / 10,
        q: 'good' as const,
      })),
    };
  });
}

export { QuestDbQuery };
