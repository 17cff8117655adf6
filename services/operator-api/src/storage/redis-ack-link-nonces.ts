import type { Redis } from 'ioredis';
import type { AckLinkNonces } from '../collaborators';

/**
 * Used acknowledge-link nonces in Redis: SET NX with the link's remaining lifetime, so every
 * API instance agrees a link was used, and the key vanishes when the link would expire anyway.
 */
export class RedisAckLinkNonces implements AckLinkNonces {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'yj-ack-link:',
  ) {}

  async consume(nonce: string, ttlMs: number): Promise<boolean> {
    const set = await this.redis.set(
      `${this.prefix}${nonce}`,
      '1',
      'PX',
      Math.max(1, Math.ceil(ttlMs)),
      'NX',
    );
    return set === 'OK';
  }

  async release(nonce: string): Promise<void> {
    await this.redis.del(`${this.prefix}${nonce}`);
  }
}
