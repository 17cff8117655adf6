import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, API_ACTIONS, type ApiAction } from '../src/auth/access-matrix';
import type { ApiRole } from '../src/auth/principal';
import { alarmEvent, bearer, E_TY, harness, TAIYUAN, token } from './route-harness';

const ROLES: ApiRole[] = ['operator', 'regulator', 'enterprise', 'admin'];
const SCOPES: Record<ApiRole, { level: string; code: string }> = {
  operator: { level: 'province', code: '140000' },
  regulator: { level: 'city', code: TAIYUAN.city },
  enterprise: { level: 'enterprise', code: E_TY },
  admin: { level: 'province', code: '140000' },
};

/** The one table of docs/access-control.md, written out: ✓ = the API sends the command. */
const ALARM_ACTIONS: Record<string, Record<ApiRole, boolean>> = {
  ack: { operator: true, regulator: false, enterprise: true, admin: true },
  shelve: { operator: true, regulator: false, enterprise: false, admin: true },
  unshelve: { operator: true, regulator: false, enterprise: false, admin: true },
  verify: { operator: true, regulator: true, enterprise: false, admin: true },
  dispose: { operator: true, regulator: false, enterprise: false, admin: true },
  feedback: { operator: true, regulator: false, enterprise: false, admin: true },
  close: { operator: false, regulator: true, enterprise: false, admin: true },
  comment: { operator: true, regulator: true, enterprise: true, admin: true },
};
const BODIES: Record<string, object> = {
  shelve: { durationMs: 3_600_000, reason: '检修' },
  comment: { comment: '现场复核' },
  feedback: { comment: '已更换密封垫，复测正常' },
};

/** rules-core LOOP_ROLES (docs/alarm-lifecycle.md): the worker refuses a loop step from anyone else. */
const WORKER_LOOP_ROLES = new Set<ApiRole>(['operator', 'regulator', 'admin']);

describe('role × action on POST /api/v1/alarms/:id/{action}', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  const raised = alarmEvent(E_TY);
  beforeAll(async () => {
    h = await harness();
    h.history.alarms.push(raised);
    h.bus.answer = (cmd) => ({ result: { ok: true }, transition: { transition: cmd.action, seq: 2 } });
  });
  afterAll(async () => {
    await h.app.close();
  });

  const cases = ROLES.flatMap((role) =>
    Object.entries(ALARM_ACTIONS).map(([action, allowed]) => ({ role, action, allowed: allowed[role] })),
  );
  it.each(cases)('$role $action → allowed: $allowed', async ({ role, action, allowed }) => {
    const before = h.bus.sent.length;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/alarms/${encodeURIComponent(raised.alarmId)}/${action}`,
      headers: bearer(await token(role, SCOPES[role], { sub: `${role}-matrix` })),
      payload: BODIES[action] ?? {},
    });
    if (allowed) {
      expect(res.statusCode).toBe(200);
      expect(h.bus.sent.slice(before)).toMatchObject([{ action, actor: { role } }]);
    } else {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'YJ_ERR_AUTH_FORBIDDEN',
        detail: `role ${role} may not ${action}`,
      });
      expect(h.bus.sent.length).toBe(before);
    }
  });
});

describe('ACCESS_MATRIX', () => {
  it('never lets through a closed-loop step the rules-worker would refuse', () => {
    for (const action of ['verify', 'dispose', 'feedback', 'close'] as const)
      for (const role of ROLES)
        if (ACCESS_MATRIX[role].has(action)) expect(WORKER_LOOP_ROLES, `${role} ${action}`).toContain(role);
  });

  it('is the table in docs/access-control.md', () => {
    const md = readFileSync(new URL('../../../docs/access-control.md', import.meta.url), 'utf8');
    const section = md.slice(md.indexOf('## Role × action matrix'));
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('|') && !l.startsWith('| action') && !l.startsWith('| ---'))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    const ROW_ACTIONS: [RegExp, ApiAction[]][] = [
      [/^read alarms/, ['read']],
      [/^ack$/, ['ack']],
      [/^shelve \/ unshelve$/, ['shelve', 'unshelve']],
      [/^verify/, ['verify']],
      [/^dispose/, ['dispose']],
      [/^feedback/, ['feedback']],
      [/^close/, ['close']],
      [/^comment$/, ['comment']],
      [/^reports$/, ['reports']],
      [/^registry read/, ['registry-read']],
      [/^registry \/ subscription write$/, ['registry-write']],
      [/^dead-lettered deliveries/, ['deliveries']],
      [/^token revocation/, ['tokens']],
      [/^hazards/, ['hazards']],
      [/^moderate/, ['moderate']],
      [/^inspections/, ['inspections']],
    ];
    const documented = new Map<string, boolean>();
    for (const [label, ...cells] of rows) {
      const actions = ROW_ACTIONS.find(([re]) => re.test(label ?? ''))?.[1];
      expect(actions, `unknown row "${label}"`).toBeDefined();
      for (const action of actions ?? [])
        ROLES.forEach((role, i) => {
          documented.set(`${role} ${action}`, cells[i]?.startsWith('✓') ?? false);
        });
    }
    const enforced = new Map(
      ROLES.flatMap((role) => API_ACTIONS.map((a) => [`${role} ${a}`, ACCESS_MATRIX[role].has(a)] as const)),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(enforced));
  });
});
