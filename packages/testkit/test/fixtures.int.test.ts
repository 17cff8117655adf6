import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createQuestDbTablePrefix, createTestQueueName, listQuestDbTables, serviceEnv } from '../src/index';

describe('testkit clean-up fixtures against the real services', () => {
  it('drops exactly the QuestDB tables with the test prefix', async () => {
    const { prefix, cleanup } = createQuestDbTablePrefix('fx');
    const client = new pg.Client({ connectionString: serviceEnv().questdbPg });
    await client.connect();
    try {
      await client.query(
        `CREATE TABLE ${prefix}a (ts TIMESTAMP, v DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL`,
      );
      await client.query(
        `CREATE TABLE ${prefix}b (ts TIMESTAMP, v DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL`,
      );
    } finally {
      await client.end();
    }
    expect((await listQuestDbTables(prefix)).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
    expect((await cleanup()).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(await listQuestDbTables(prefix)).toEqual([]);
  });

  it('obliterates every Redis key of the test queue', async () => {
    const { name, cleanup } = createTestQueueName('fx');
    const redis = new Redis(serviceEnv().redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(name, { connection: redis });
    try {
      await queue.add('step', { n: 1 }, { delay: 60_000 });
      expect((await redis.keys(`bull:${name}:*`)).length).toBeGreaterThan(0);
      await cleanup();
      expect(await redis.keys(`bull:${name}:*`)).toEqual([]);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
});
