import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { WindowCounter } from './window-counter';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** INCR with the window's expiry set on the first hit, and the time left (one round trip). */
const INCR_LUA = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {current, ttl}`;

/**
 * A store for @fastify/rate-limit: counters in Redis, shared by every instance; when Redis does not
 * answer (down, restarting, slow beyond the client's commandTimeout) the same limit is counted in
 * this instance's memory instead, so a Redis outage never turns into errors on every route
 * (issue #14 hole 7). During an outage each instance allows up to the limit on its own.
 */
export function redisWithLocalFallback(
  redis: Redis,
  nameSpace: string,
  onFallback: (err: Error) => void,
): FastifyRateLimitStoreCtor {
  return class RedisWithLocalFallbackStore implements FastifyRateLimitStore {
    readonly #local = new Map<number, WindowCounter>();

    #localHit(key: string, timeWindow: number) {
      let counter = this.#local.get(timeWindow);
      if (!counter) {
        counter = new WindowCounter(timeWindow);
        this.#local.set(timeWindow, counter);
      }
      return counter.hit(key);
    }

    incr(key: string, cb: Callback, timeWindow: number): void {
      redis.eval(INCR_LUA, 1, `${nameSpace}${key}`, timeWindow).then(
        (res) => {
          const [current, ttl] = res as [number, number];
          cb(null, { current, ttl });
        },
        (err: Error) => {
          onFallback(err);
          cb(null, this.#localHit(key, timeWindow));
        },
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
