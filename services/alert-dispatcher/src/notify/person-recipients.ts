import {
  type AlarmLevel,
  type ContactChannel,
  DEFAULT_STEP_ROLES,
  type DutyRole,
  type DutyRoster,
  type Enterprise,
  type EscalationTarget,
  type Person,
} from '@yujing/schemas';
import { coversEnterprise, scopeCodeFor } from '../recipient-resolver';
import { onDuty } from './duty-roster';
import { inQuietHours } from './quiet-hours';

/**
 * Which people an escalation step reaches, through which of their channels: pure, the instant
 * is an argument. A step paging `target` pages the duty roles of that level (the policy step's
 * `roles`, else DEFAULT_STEP_ROLES) for the scope covering the enterprise: whoever the role's
 * rosters have on duty now, or — for a role without a roster at that scope — every enabled
 * person holding it. Quiet hours hold back levels 2–4; a channel carries alarms up to its maxLevel.
 */

export interface PersonRecipient {
  /** `person.<personId>.<channelId>`: the delivery's subscriptionId and the notified-set member. */
  id: string;
  person: Person;
  channel: ContactChannel;
}

export interface Skipped {
  personId: string;
  reason: 'quiet-hours' | 'no-channel-for-level' | 'disabled';
}

export interface PeopleView {
  people(): Person[];
  rosters(): DutyRoster[];
}

const PREFIX = 'person.';

export const personRecipientId = (personId: string, channelId: string) => `${PREFIX}${personId}.${channelId}`;

/** personId and channelId of a recipient id, or undefined for a webhook subscription id. */
export function parsePersonRecipientId(id: string): { personId: string; channelId: string } | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const dot = id.lastIndexOf('.');
  if (dot <= PREFIX.length) return undefined;
  return { personId: id.slice(PREFIX.length, dot), channelId: id.slice(dot + 1) };
}

/** The person's channels for this alarm level, or why none (quiet hours, level, disabled). */
function reach(
  person: Person,
  level: AlarmLevel,
  nowMs: number,
): { recipients: PersonRecipient[] } | { skipped: Skipped } {
  if (!person.enabled) return { skipped: { personId: person.id, reason: 'disabled' } };
  if (inQuietHours(person.quietHours, level, nowMs))
    return { skipped: { personId: person.id, reason: 'quiet-hours' } };
  const channels = person.channels.filter((c) => level <= c.maxLevel);
  if (channels.length === 0) return { skipped: { personId: person.id, reason: 'no-channel-for-level' } };
  return {
    recipients: channels.map((channel) => ({
      id: personRecipientId(person.id, channel.id),
      person,
      channel,
    })),
  };
}

/** Person ids on duty for one role at one scope at the instant. */
export function onDutyFor(
  view: PeopleView,
  scope: { level: EscalationTarget; code: string },
  role: DutyRole,
  nowMs: number,
): string[] {
  const rosters = view
    .rosters()
    .filter((r) => r.role === role && r.scope.level === scope.level && r.scope.code === scope.code);
  if (rosters.length > 0) return [...new Set(rosters.flatMap((r) => onDuty(r, nowMs)))];
  return view
    .people()
    .filter((p) => p.roles.includes(role) && p.scope.level === scope.level && p.scope.code === scope.code)
    .map((p) => p.id);
}

export function peopleForStep(input: {
  view: PeopleView;
  target: EscalationTarget;
  roles?: readonly DutyRole[] | undefined;
  enterprise: Pick<Enterprise, 'id' | 'region'>;
  level: AlarmLevel;
  nowMs: number;
}): { recipients: PersonRecipient[]; skipped: Skipped[] } {
  const scope = { level: input.target, code: scopeCodeFor(input.target, input.enterprise) };
  const roles = input.roles ?? DEFAULT_STEP_ROLES[input.target];
  const byId = new Map(input.view.people().map((p) => [p.id, p]));
  const ids = [...new Set(roles.flatMap((role) => onDutyFor(input.view, scope, role, input.nowMs)))];
  const recipients: PersonRecipient[] = [];
  const skipped: Skipped[] = [];
  for (const id of ids.sort()) {
    const person = byId.get(id);
    if (!person) continue;
    const r = reach(person, input.level, input.nowMs);
    if ('skipped' in r) skipped.push(r.skipped);
    else recipients.push(...r.recipients);
  }
  return { recipients, skipped };
}

/**
 * Follow-up notices (reminder, acknowledged, resolved, closed, overdue) go to the people already
 * notified, re-checked against the current registry: the person and channel still exist, the
 * person still covers the enterprise, quiet hours and channel levels still allow it.
 */
export function followUpPeople(
  notifiedIds: readonly string[],
  view: PeopleView,
  enterprise: Pick<Enterprise, 'id' | 'region'>,
  level: AlarmLevel,
  nowMs: number,
): PersonRecipient[] {
  const byId = new Map(view.people().map((p) => [p.id, p]));
  const out: PersonRecipient[] = [];
  for (const id of [...notifiedIds].sort()) {
    const ref = parsePersonRecipientId(id);
    const person = ref && byId.get(ref.personId);
    if (!ref || !person || !coversEnterprise(person, enterprise)) continue;
    const r = reach(person, level, nowMs);
    if ('recipients' in r) out.push(...r.recipients.filter((x) => x.channel.id === ref.channelId));
  }
  return out;
}
