import type { AlarmLevel, Enterprise, EscalationTarget } from '@yujing/schemas';
import type { RegistryView } from '../registry-view';
import { type PersonRecipient, peopleForStep, type Skipped } from './person-recipients';

/**
 * The people one escalation step of a policy reaches now: the step's duty roles (or the
 * defaults of its target level) from the current registry. Skipped people (quiet hours, no
 * channel for the level) are returned for the step's log line.
 */
export function stepPeople(
  registry: RegistryView,
  step: { policyId: string; stepIndex: number; target: EscalationTarget },
  enterprise: Pick<Enterprise, 'id' | 'region'>,
  level: AlarmLevel,
  nowMs: number,
): { recipients: PersonRecipient[]; skipped: Skipped[] } {
  const policy = registry.policies().find((p) => p.id === step.policyId);
  return peopleForStep({
    view: registry,
    target: step.target,
    roles: policy?.steps[step.stepIndex]?.roles,
    enterprise,
    level,
    nowMs,
  });
}
