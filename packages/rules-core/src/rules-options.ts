import type { AlarmLevel, Classification, RuleSpec } from '@yujing/schemas';

/** Engine-wide tuning, supplied by the caller (the worker reads it from its config). */
export interface RulesOptions {
  /** Longest shelve an operator may ask for; longer requests are refused. */
  maxShelveMs: number;
  /** A lower severity must persist this long before an active alarm is de-escalated. */
  deescalateHoldMs: number;
  /** Activations of one point/rule within `chatterWindowMs` that mark it as chattering. */
  chatterCount: number;
  chatterWindowMs: number;
  /** Level of gateway-offline alarms. */
  gatewayOfflineLevel: AlarmLevel;
  /** Gateway heartbeat timeout when the registry gives none. */
  defaultGatewayTimeoutMs: number;
  /** Missed sampling periods after which a point counts as offline when it has no no-data rule. */
  defaultOfflinePeriods: number;
  /** Settled (normal) alarms kept per enterprise for closed-loop commands; oldest evicted first. */
  maxSettledAlarms: number;
  /** Command ids remembered per enterprise for idempotent re-delivery. */
  maxRecentCommands: number;
  /**
   * Classification hook: maps a rule's level for the enterprise's classification. Levels in
   * EffectivePoint are already resolved by the registry, so the default is the identity.
   */
  mapLevel?: (
    level: AlarmLevel,
    info: { classification?: Classification; rule: RuleSpec; point: string },
  ) => AlarmLevel;
}

export const DEFAULT_RULES_OPTIONS: Readonly<RulesOptions> = Object.freeze({
  maxShelveMs: 8 * 3_600_000,
  deescalateHoldMs: 60_000,
  chatterCount: 3,
  chatterWindowMs: 60_000,
  gatewayOfflineLevel: 3,
  defaultGatewayTimeoutMs: 60_000,
  defaultOfflinePeriods: 3,
  maxSettledAlarms: 500,
  maxRecentCommands: 512,
});
