import type { Logger } from '@yujing/logger';
import type { Redis } from 'ioredis';
import type { RevocationCheck } from './token-verifier';

/** Revoked token ids (`jti`): checked on every request from memory, written by POST /admin/tokens/revoke. */
export interface TokenRevocations extends RevocationCheck {
  /** Denies `jti` until `untilS` (epoch seconds, the token's exp: afterwards it is invalid anyway). */
  revoke(jti: string, untilS: number): Promise<void>;
}

/** One instance only (route tests, a single-process API): the deny-list lives in memory. */
export class LocalRevocations implements TokenRevocations {
  readonly #until = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}
  isRevoked(jti: string): boolean {
    const until = this.#until.get(jti);
    return until !== undefined && until * 1000 > this.now();
  }
  async revoke(jti: string, untilS: number): Promise<void> {
    this.#until.set(jti, untilS);
  }
  /** Replaces the whole list (used by RedisRevocations after each read). */
  replace(entries: Iterable<[string, number]>): void {
    this.#until.clear();
    for (const [jti, until] of entries) this.#until.set(jti, until);
  }
}

/**
 * The deny-list in Redis (sorted set `<prefix>yj-api:revoked-jti`, member jti, score = until in
 * epoch seconds), shared by every API instance. Each instance keeps a copy in memory and re-reads
 * it every `refreshMs`, so a request never waits on Redis: with Redis down the API keeps answering
 * with the last list it read (a revocation made elsewhere during the outage takes effect once Redis
 * is back), and POST /admin/tokens/revoke answers 503 because it cannot store the revocation.
 */
export class RedisRevocations implements TokenRevocations {
  readonly #local: LocalRevocations;
  readonly #key: string;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.#local = new LocalRevocations(now);
    this.#key = `${prefix}yj-api:revoked-jti`;
  }

  isRevoked(jti: string): boolean {
    return this.#local.isRevoked(jti);
  }

  async revoke(jti: string, untilS: number): Promise<void> {
    await this.redis.zadd(this.#key, untilS, jti);
    await this.#local.revoke(jti, untilS);
  }

  /** Re-reads the list (dropping expired entries); false when Redis did not answer. */
  async refresh(): Promise<boolean> {
    try {
      const nowS = Math.floor(this.now() / 1000);
      await this.redis.zremrangebyscore(this.#key, '-inf', nowS);
      const flat = await this.redis.zrange(this.#key, 0, -1, 'WITHSCORES');
      const entries: [string, number][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i] as string, Number(flat[i + 1])]);
      this.#local.replace(entries);
      if (this.#failing) this.log.info({ revoked: entries.length }, 'token deny-list readable again');
      this.#failing = false;
      return true;
    } catch (err) {
      if (!this.#failing) this.log.warn({ err }, 'token deny-list unreadable; keeping the last copy');
      this.#failing = true;
      return false;
    }
  }

  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
