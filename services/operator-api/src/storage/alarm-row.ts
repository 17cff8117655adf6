import type { AlarmEventRow } from '@yujing/questdb';
import { AlarmTransitionEvent, type Role } from '@yujing/schemas';

/** A stored alarm_events row back into the contract shape (actor is stored as "role:id"). */
export function alarmFromRow(row: AlarmEventRow): AlarmTransitionEvent | undefined {
  const actorText = row.actor ?? undefined;
  const colon = actorText?.indexOf(':') ?? -1;
  const episodeFromId = Number(row.alarmId.slice(row.alarmId.lastIndexOf(':') + 1));
  const parsed = AlarmTransitionEvent.safeParse({
    alarmId: row.alarmId,
    enterpriseId: row.enterpriseId,
    point: row.point,
    rule: row.rule,
    kind: row.kind,
    level: Number(row.level),
    state: row.state,
    loop: row.loop ?? 'open',
    transition: row.transition,
    value: row.value,
    limit: row.limit,
    eventTime: row.eventTime ?? row.emittedAt,
    emittedAt: row.emittedAt,
    episodeStart: row.episodeStart ?? (Number.isFinite(episodeFromId) ? episodeFromId : row.emittedAt),
    ...(actorText && colon > 0
      ? { actor: { role: actorText.slice(0, colon) as Role, id: actorText.slice(colon + 1) } }
      : {}),
    ...(row.comment ? { comment: row.comment } : {}),
    ...(row.attachments ? { attachments: parseAttachments(row.attachments) } : {}),
    ...(row.loopDueStep && row.loopDueAt !== null && row.loopDueAt !== undefined
      ? { loopDue: { step: row.loopDueStep, dueAt: Number(row.loopDueAt) } }
      : {}),
    seq: Number(row.seq),
  });
  return parsed.success ? parsed.data : undefined;
}

/** The stored JSON of a loop step's attachments; unreadable text drops them (the row still parses). */
function parseAttachments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
