import type { AlarmTransitionEvent } from '@yujing/schemas';
import { alarmPointOf, type ResolvedScenario } from './scenario-targets';

/** One alarm a scenario must produce, bound to concrete ids. */
export interface BoundExpectation {
  label: string;
  enterpriseId: string;
  point: string;
  kind: AlarmTransitionEvent['kind'];
  rule?: string;
  level?: number;
}

/** The scenario's expected alarms with enterprise and point ids filled in. */
export function boundExpectations(resolved: ResolvedScenario): BoundExpectation[] {
  return resolved.scenario.expect.alarms.map((e) => {
    const target = resolved.targets[e.target]!;
    const point = alarmPointOf(target, e.member);
    return {
      label: `${e.kind}${e.rule ? `/${e.rule}` : ''}${e.level ? ` level ${e.level}` : ''} on ${point}`,
      enterpriseId: resolved.enterpriseId,
      point,
      kind: e.kind,
      ...(e.rule !== undefined ? { rule: e.rule } : {}),
      ...(e.level !== undefined ? { level: e.level } : {}),
    };
  });
}

const ACTIVE = new Set(['active-unack', 'active-ack']);

/**
 * Whether an event shows the expectation: same enterprise, point, kind (and rule); with a level,
 * the alarm must be active at that level (a raise or an escalation reaching it), else a raise.
 */
export function eventMeets(event: AlarmTransitionEvent, x: BoundExpectation): boolean {
  if (event.enterpriseId !== x.enterpriseId || event.point !== x.point || event.kind !== x.kind) return false;
  if (x.rule !== undefined && event.rule !== x.rule) return false;
  if (x.level !== undefined) return event.level === x.level && ACTIVE.has(event.state);
  return event.transition === 'raise';
}

/** The expectations no event meets yet (empty = the scenario produced everything it must). */
export function unmetExpectations(
  expectations: readonly BoundExpectation[],
  events: readonly AlarmTransitionEvent[],
): BoundExpectation[] {
  return expectations.filter((x) => !events.some((e) => eventMeets(e, x)));
}

/** Raises on the scenario's `absent` targets: alarms that must not exist. */
export function forbiddenRaises(
  resolved: ResolvedScenario,
  events: readonly AlarmTransitionEvent[],
): AlarmTransitionEvent[] {
  return events.filter((e) => {
    if (e.transition !== 'raise' || e.enterpriseId !== resolved.enterpriseId) return false;
    return resolved.scenario.expect.absent.some((a) => {
      if (a.rule !== undefined && a.rule !== e.rule) return false;
      const target = resolved.targets[a.target]!;
      switch (target.type) {
        case 'point':
          return e.point === target.point.code;
        case 'group':
          return e.point === `vote:${target.group}` || target.members.some((m) => m.code === e.point);
        case 'gateway':
          return e.point === `gateway:${target.gatewayId}` || target.pointCodes.includes(e.point);
        default:
          return false;
      }
    });
  });
}
