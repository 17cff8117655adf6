import type { ApiRole } from './principal';

/**
 * What each role may do (docs/access-control.md explains why). Reads are further narrowed by
 * the token's scope; every write is checked against the matrix and the scope of its target.
 */
export const API_ACTIONS = [
  'read',
  'ack',
  'shelve',
  'unshelve',
  'verify',
  'dispose',
  'feedback',
  'close',
  'comment',
  'reports',
  'registry-read',
  'registry-write',
  'deliveries',
  'tokens',
  'hazards',
  'moderate',
  'inspections',
] as const;
export type ApiAction = (typeof API_ACTIONS)[number];

export const ACCESS_MATRIX: Readonly<Record<ApiRole, ReadonlySet<ApiAction>>> = {
  // 值班员 of the monitoring centre: the ISA-18.2 console actions, 核实, 处置 and 反馈 (the disposal's outcome);
  // 销号 stays with the regulator, so the one who reports the outcome is not the one who signs it off.
  operator: new Set<ApiAction>([
    'read',
    'ack',
    'shelve',
    'unshelve',
    'verify',
    'dispose',
    'feedback',
    'comment',
    'reports',
    'registry-read',
    'hazards',
  ]),
  // 监管 (county/city/province): follow, verify, and close out (销号); acknowledging and shelving stay with
  // the people at the console so that escalation to the regulator is not silenced by the regulator.
  // Hazards (重大事故隐患): the regulator confirms, rejects and verifies them, moderates public tip-offs (举报)
  // and records inspections (执法检查); which hazard step each role may take is in hazard-lifecycle.ts.
  regulator: new Set<ApiAction>([
    'read',
    'verify',
    'close',
    'comment',
    'reports',
    'registry-read',
    'hazards',
    'moderate',
    'inspections',
  ]),
  // The enterprise acknowledges and comments on its own alarms (on-site findings go in comments). The closed
  // loop 核实 → 处置 → 反馈 → 销号 is recorded by operator / regulator / admin only, as the rules-worker enforces
  // (rules-core LOOP_ROLES). Shelving (which silences annunciation) stays with the monitoring centre.
  // It files the rectification plan of its own hazards and reports them rectified ('hazards').
  enterprise: new Set<ApiAction>(['read', 'ack', 'comment', 'reports', 'hazards']),
  admin: new Set<ApiAction>(API_ACTIONS),
};

export function roleMay(role: ApiRole, action: ApiAction): boolean {
  return ACCESS_MATRIX[role].has(action);
}
