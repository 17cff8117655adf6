import type { Redis } from 'ioredis';

/**
 * Per-subscriber rate limit shared by every dispatcher instance: a token bucket per
 * subscription in Redis (refilled at `ratePerSecond`, burst = max(1, rate)), taken atomically by
 * one Lua script that uses Redis' own clock, so instances with skewed clocks agree.
 */

/** KEYS: bucket. ARGV: rate per second. Returns 0 when a token was taken, else ms until one is free. */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = math.max(1, math.ceil(rate))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local ttl = math.ceil(burst / rate * 1000) + 1000
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return math.max(1, math.ceil((1 - tokens) * 1000 / rate))`;

export class SubscriberRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Takes one token of the subscription's bucket: 0 = go now, otherwise wait this many ms. */
  async take(subscriptionId: string, ratePerSecond: number): Promise<number> {
    return Number(await this.redis.eval(TAKE, 1, `${this.keyPrefix}rate:${subscriptionId}`, ratePerSecond));
  }
}
