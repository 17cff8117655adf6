import { Redis } from 'ioredis';

/**
 * The API's two Redis clients. Neither may make a request wait on Redis (issue #14 hole 7): no
 * offline queue (a command fails at once while disconnected) and a command timeout (a hung Redis).
 * - `queue`: the deliveries queue (BullMQ Queue, read and replay only, no Worker): its routes answer 503;
 * - `fast`: rate-limit counters and the token deny-list, which then fall back to memory.
 * Both reconnect by themselves; their errors are reported by the code that uses them.
 */
export function createApiRedis(url: string): { queue: Redis; fast: Redis; close(): Promise<void> } {
  const queue = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
  const fast = new Redis(url, {
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: 250,
  });
  for (const c of [queue, fast])
    c.on('error', () => {
      // reconnecting; see above
    });
  return {
    queue,
    fast,
    async close() {
      await Promise.allSettled([queue.quit(), fast.quit()]);
    },
  };
}
