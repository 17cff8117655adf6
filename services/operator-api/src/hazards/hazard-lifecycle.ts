import type { Actor, HazardAction, HazardRecord, HazardSource, HazardState, Role } from '@yujing/schemas';

/**
 * The 重大事故隐患 state machine (docs/hazards.md), pure: no I/O, no clock (the caller passes `now`).
 *
 *   reported ──confirm──▶ confirmed ──plan──▶ rectifying ──rectified──▶ rectified ──verify──▶ closed
 *      └──reject──▶ rejected                       ▲──────────reopen (verification failed)──┘
 *
 * Who may do what: confirm / reject / verify / reopen are the regulator's (admin too); the enterprise
 * (or the regulator for it) files the 整改方案 and reports the rectification. The one who reported it
 * rectified may not verify it (verify and rectified need two different people).
 */
export interface HazardCommand {
  action: HazardAction;
  comment?: string | undefined;
  attachments?: string[] | undefined;
  responsible?: { name: string; phone?: string | undefined } | undefined;
  /** 整改期限 (epoch ms), required on confirm. */
  deadline?: number | undefined;
  plan?: string | undefined;
}

export type HazardRefusalCode =
  | 'YJ_ERR_HAZARD_TRANSITION'
  | 'YJ_ERR_HAZARD_FORBIDDEN'
  | 'YJ_ERR_HAZARD_INPUT';
export type HazardOutcome =
  | { ok: true; record: HazardRecord }
  | { ok: false; code: HazardRefusalCode; message: string };

interface TransitionRule {
  from: HazardState;
  to: HazardState;
  roles: readonly Role[];
}

export const HAZARD_TRANSITIONS: Readonly<Record<HazardAction, TransitionRule>> = {
  confirm: { from: 'reported', to: 'confirmed', roles: ['regulator', 'admin'] },
  reject: { from: 'reported', to: 'rejected', roles: ['regulator', 'admin'] },
  plan: { from: 'confirmed', to: 'rectifying', roles: ['enterprise', 'regulator', 'admin'] },
  rectified: { from: 'rectifying', to: 'rectified', roles: ['enterprise', 'regulator', 'admin'] },
  verify: { from: 'rectified', to: 'closed', roles: ['regulator', 'admin'] },
  reopen: { from: 'rectified', to: 'rectifying', roles: ['regulator', 'admin'] },
};

/** Who may register a hazard from each source (public reports enter through moderation of a tip-off). */
export const REPORT_ROLES: Readonly<Record<HazardSource['kind'], readonly Role[]>> = {
  alarm: ['operator', 'regulator', 'admin'],
  'loop-finding': ['operator', 'regulator', 'admin'],
  inspector: ['regulator', 'admin'],
  inspection: ['regulator', 'admin'],
  'public-report': ['regulator', 'admin'],
};

/** States in which a hazard still counts as an open major hazard (动态清零 not reached). */
export const OPEN_STATES: ReadonlySet<HazardState> = new Set(['confirmed', 'rectifying', 'rectified']);

export interface NewHazard {
  id: string;
  writeId: string;
  enterpriseId: string;
  criterionId: string;
  title: string;
  description?: string | undefined;
  source: HazardSource;
  responsible?: { name: string; phone?: string | undefined } | undefined;
  comment?: string | undefined;
}

const refuse = (code: HazardRefusalCode, message: string): HazardOutcome => ({ ok: false, code, message });

/** A hazard in state `reported`, or a refusal when the actor may not register it from that source. */
export function reportHazard(input: NewHazard, actor: Actor, now: number): HazardOutcome {
  if (!REPORT_ROLES[input.source.kind].includes(actor.role))
    return refuse(
      'YJ_ERR_HAZARD_FORBIDDEN',
      `role ${actor.role} may not register a hazard from ${input.source.kind}`,
    );
  return {
    ok: true,
    record: {
      type: 'hazard',
      id: input.id,
      version: 1,
      writeId: input.writeId,
      enterpriseId: input.enterpriseId,
      criterionId: input.criterionId,
      title: input.title,
      description: input.description ?? '',
      source: input.source,
      state: 'reported',
      ...(input.responsible ? { responsible: input.responsible } : {}),
      reportedAt: now,
      history: [
        {
          at: now,
          action: 'report',
          from: null,
          to: 'reported',
          actor,
          ...(input.comment ? { comment: input.comment } : {}),
        },
      ],
    },
  };
}

/** Applies one action; the new record has version + 1 and the caller's writeId. */
export function applyHazardAction(
  h: HazardRecord,
  cmd: HazardCommand,
  actor: Actor,
  now: number,
  writeId: string,
): HazardOutcome {
  const rule = HAZARD_TRANSITIONS[cmd.action];
  if (h.state !== rule.from)
    return refuse(
      'YJ_ERR_HAZARD_TRANSITION',
      `${cmd.action} needs state ${rule.from}; the hazard is ${h.state}`,
    );
  if (!rule.roles.includes(actor.role))
    return refuse('YJ_ERR_HAZARD_FORBIDDEN', `role ${actor.role} may not ${cmd.action} a hazard`);
  const next: HazardRecord = { ...h, state: rule.to, version: h.version + 1, writeId };
  switch (cmd.action) {
    case 'confirm': {
      const responsible = cmd.responsible ?? h.responsible;
      if (cmd.deadline === undefined || !responsible)
        return refuse('YJ_ERR_HAZARD_INPUT', 'confirm needs a deadline (整改期限) and a responsible person');
      if (cmd.deadline <= now) return refuse('YJ_ERR_HAZARD_INPUT', 'the deadline must be in the future');
      next.deadline = cmd.deadline;
      next.responsible = responsible;
      next.confirmedAt = now;
      break;
    }
    case 'reject':
    case 'reopen':
      if (!cmd.comment) return refuse('YJ_ERR_HAZARD_INPUT', `${cmd.action} needs a comment saying why`);
      break;
    case 'plan':
      if (!cmd.plan) return refuse('YJ_ERR_HAZARD_INPUT', 'plan needs the rectification plan (整改方案)');
      next.plan = cmd.plan;
      if (cmd.responsible) next.responsible = cmd.responsible;
      break;
    case 'rectified':
      if (!cmd.comment)
        return refuse('YJ_ERR_HAZARD_INPUT', 'rectified needs a comment saying what was done');
      next.rectifiedAt = now;
      break;
    case 'verify': {
      const by = [...h.history].reverse().find((e) => e.action === 'rectified')?.actor.id;
      if (by === actor.id)
        return refuse('YJ_ERR_HAZARD_FORBIDDEN', 'the one who reported the rectification may not verify it');
      next.closedAt = now;
      break;
    }
  }
  if (cmd.action === 'reopen') delete next.rectifiedAt;
  next.history = [
    ...h.history,
    {
      at: now,
      action: cmd.action,
      from: h.state,
      to: rule.to,
      actor,
      ...(cmd.comment ? { comment: cmd.comment } : {}),
      ...(cmd.attachments?.length ? { attachments: cmd.attachments } : {}),
    },
  ];
  return { ok: true, record: next };
}

/** Past its 整改期限 and not yet reported rectified. */
export function isOverdue(h: HazardRecord, now: number): boolean {
  return (
    (h.state === 'confirmed' || h.state === 'rectifying') && h.deadline !== undefined && now > h.deadline
  );
}
