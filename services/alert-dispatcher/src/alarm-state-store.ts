import { AlarmTransitionEvent } from '@yujing/schemas';
import type { Redis } from 'ioredis';
import { alarmDigest } from './escalation-plan';

/**
 * What the dispatcher must remember about an alarm to decide, kept in Redis (a hash per alarm
 * plus a set of notified subscriptions, both with a TTL) so any dispatcher instance, or one
 * restarted, continues where the last one stopped. Every decision that races with a step
 * (claim a step vs. acknowledge/clear) is one Lua script, so Redis orders them atomically.
 */

export interface AlarmDispatchState {
  lastSeq: number;
  planVersion: number;
  policyId: string;
  stepCount: number;
  reminderCount: number;
  baseMs: number;
  acked: boolean;
  cleared: boolean;
  paused: boolean;
  alarm: AlarmTransitionEvent | undefined;
  notified: string[];
}

export interface PlanFields {
  planVersion: number;
  policyId: string;
  stepCount: number;
  reminderCount: number;
  baseMs: number;
  acked: boolean;
}

export interface PlanRef {
  planVersion: number;
  policyId: string;
  stepCount: number;
  reminderCount: number;
}

export type ClaimResult =
  | { ok: true; alarm: AlarmTransitionEvent; notified: string[] }
  | { ok: false; reason: 'unknown-alarm' | 'stale-plan' | 'acknowledged' | 'cleared' | 'paused' };

/** KEYS: hash, notified set. ARGV: ttlMs, seq. Sets lastSeq = max(lastSeq, seq). */
const COMMIT_SEQ = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'lastSeq') or '-1')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], 'lastSeq', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1`;

/**
 * KEYS: hash, notified set. ARGV: ttlMs, then field/value pairs. Writes the fields unless the
 * hash already holds a newer plan (planVersion), returns the previous plan and the notified set.
 */
const WRITE = `
local prev = redis.call('HMGET', KEYS[1], 'planVersion', 'stepCount', 'reminderCount', 'policyId')
for i = 2, #ARGV, 2 do
  if ARGV[i] == 'planVersion' and prev[1] and tonumber(prev[1]) > tonumber(ARGV[i + 1]) then
    return {0, prev[1] or '', prev[2] or '', prev[3] or '', redis.call('SMEMBERS', KEYS[2]), prev[4] or ''}
  end
end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return {1, prev[1] or '', prev[2] or '', prev[3] or '', redis.call('SMEMBERS', KEYS[2]), prev[4] or ''}`;

/**
 * KEYS: hash, notified set. ARGV: ttlMs, planVersion, unless ('acknowledged'|'cleared'), then
 * subscription ids to mark as notified. Checks the alarm still wants this step and marks the
 * recipients in the same atomic step; returns {ok|reason, alarm json, notified members}.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown-alarm'} end
local s = redis.call('HMGET', KEYS[1], 'planVersion', 'acked', 'cleared', 'paused', 'alarm')
if s[1] ~= ARGV[2] then return {'stale-plan'} end
if s[3] == '1' then return {'cleared'} end
if s[4] == '1' then return {'paused'} end
if ARGV[3] == 'acknowledged' and s[2] == '1' then return {'acknowledged'} end
for i = 4, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return {'ok', s[5] or '', redis.call('SMEMBERS', KEYS[2])}`;

export class AlarmStateStore {
  constructor(
    private readonly redis: Redis,
    /** Key namespace, e.g. "yj-dispatch:" + QUEUE_PREFIX. */
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  #keys(alarmId: string): [string, string] {
    // The hash tag keeps both keys of an alarm in one Redis Cluster slot (scripts need that).
    const base = `${this.keyPrefix}alarm:{${alarmDigest(alarmId)}}`;
    return [base, `${base}:notified`];
  }

  /** True when this transition (or a later one) of the alarm was already handled. */
  async seen(alarmId: string, seq: number): Promise<boolean> {
    const cur = await this.redis.hget(this.#keys(alarmId)[0], 'lastSeq');
    return cur !== null && Number(cur) >= seq;
  }

  /** Records that the transition `seq` is fully handled (called after its side effects). */
  async commitSeq(alarmId: string, seq: number): Promise<void> {
    await this.redis.eval(COMMIT_SEQ, 2, ...this.#keys(alarmId), this.ttlMs, seq);
  }

  /**
   * Starts (or re-plans) the escalation: unless a newer plan exists, stores the plan and the
   * alarm, clears cleared/paused. Returns whether it was written and the plan it replaced.
   */
  async startPlan(
    alarm: AlarmTransitionEvent,
    plan: PlanFields,
  ): Promise<{ written: boolean; previous: PlanRef | undefined }> {
    const res = await this.#write(alarm.alarmId, {
      planVersion: plan.planVersion,
      policyId: plan.policyId,
      stepCount: plan.stepCount,
      reminderCount: plan.reminderCount,
      baseMs: plan.baseMs,
      acked: plan.acked ? 1 : 0,
      cleared: 0,
      paused: 0,
      alarm: JSON.stringify(alarm),
    });
    return { written: res.written, previous: res.previous };
  }

  /** Updates flags and the latest alarm event; returns the current plan and who was notified. */
  async update(
    alarm: AlarmTransitionEvent,
    flags: { acked?: boolean; cleared?: boolean; paused?: boolean },
  ): Promise<{ plan: PlanRef | undefined; notified: string[] }> {
    const fields: Record<string, string | number> = { alarm: JSON.stringify(alarm) };
    for (const [k, v] of Object.entries(flags)) if (v !== undefined) fields[k] = v ? 1 : 0;
    const res = await this.#write(alarm.alarmId, fields);
    return { plan: res.previous, notified: res.notified };
  }

  /** Atomically checks a step is still wanted and marks its recipients as notified. */
  async claim(
    alarmId: string,
    planVersion: number,
    unless: 'acknowledged' | 'cleared',
    recipientIds: readonly string[],
  ): Promise<ClaimResult> {
    const res = (await this.redis.eval(
      CLAIM,
      2,
      ...this.#keys(alarmId),
      this.ttlMs,
      planVersion,
      unless,
      ...recipientIds,
    )) as [string, string?, string[]?];
    if (res[0] !== 'ok') return { ok: false, reason: res[0] as Exclude<ClaimResult, { ok: true }>['reason'] };
    if (!res[1]) return { ok: false, reason: 'unknown-alarm' };
    return {
      ok: true,
      alarm: AlarmTransitionEvent.parse(JSON.parse(res[1] ?? 'null')),
      notified: res[2] ?? [],
    };
  }

  /** Everything known about an alarm (for decisions outside scripts, tests and the operator). */
  async get(alarmId: string): Promise<AlarmDispatchState | undefined> {
    const [hashKey, setKey] = this.#keys(alarmId);
    const [h, notified] = await Promise.all([this.redis.hgetall(hashKey), this.redis.smembers(setKey)]);
    if (Object.keys(h).length === 0) return undefined;
    const parsed = h.alarm ? AlarmTransitionEvent.safeParse(JSON.parse(h.alarm)) : undefined;
    return {
      lastSeq: Number(h.lastSeq ?? -1),
      planVersion: Number(h.planVersion ?? -1),
      policyId: h.policyId ?? '',
      stepCount: Number(h.stepCount ?? 0),
      reminderCount: Number(h.reminderCount ?? 0),
      baseMs: Number(h.baseMs ?? 0),
      acked: h.acked === '1',
      cleared: h.cleared === '1',
      paused: h.paused === '1',
      alarm: parsed?.success ? parsed.data : undefined,
      notified: notified.sort(),
    };
  }

  async #write(
    alarmId: string,
    fields: Record<string, string | number>,
  ): Promise<{ written: boolean; previous: PlanRef | undefined; notified: string[] }> {
    const args = Object.entries(fields).flatMap(([k, v]) => [k, String(v)]);
    const res = (await this.redis.eval(WRITE, 2, ...this.#keys(alarmId), this.ttlMs, ...args)) as [
      number,
      string,
      string,
      string,
      string[],
      string,
    ];
    const previous =
      res[1] === ''
        ? undefined
        : {
            planVersion: Number(res[1]),
            policyId: res[5],
            stepCount: Number(res[2] || 0),
            reminderCount: Number(res[3] || 0),
          };
    return { written: res[0] === 1, previous, notified: res[4] };
  }
}
