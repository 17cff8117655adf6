import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { serviceEnv } from './service-env';
import { uniqueId } from './unique-id';

/** A BullMQ queue name nobody else uses (no ':' — BullMQ uses it as its key separator). */
export function uniqueQueueName(label = 'queue'): string {
  return uniqueId(label);
}

/** Removes every key of the queue from Redis (jobs in any state included). */
export async function obliterateQueue(name: string, redisUrl = serviceEnv().redisUrl): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** A unique queue name and its clean-up, for `beforeAll`/`afterAll`. */
export function createTestQueueName(label = 'queue'): { name: string; cleanup(): Promise<void> } {
  const name = uniqueQueueName(label);
  return { name, cleanup: () => obliterateQueue(name) };
}
