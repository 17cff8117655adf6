import { type Enterprise, Enterprise as EnterpriseSchema, type Gateway } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { connectionDeadlineOf } from '../src/reports/connection-deadline';
import { rolloutCsv, rolloutReport } from '../src/reports/rollout-report';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2024-12-31 23:59:59.999 and 2025-01-01 00:00 Asia/Shanghai. */
const LAST_MS_2024 = Date.parse('2024-12-31T15:59:59.999Z');
const NEW_YEAR_2025 = Date.parse('2024-12-31T16:00:00Z');

const ent = (id: string, over: Record<string, unknown>): Enterprise =>
  EnterpriseSchema.parse({
    id,
    name: `企业${id}`,
    region: { province: '140000', city: '140100', county: '140105' },
    industries: ['metal-dust'],
    hazards: ['explosive-dust'],
    classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
    connectionRequiredBy: '2024-12-31',
    ...over,
  });
const gw = (enterpriseId: string) => ({ enterpriseId, id: 'gw-01' }) as Gateway;

describe('connection deadline (seed rules, not the registry field)', () => {
  it('is end-2024 for dust ≥ 30 workers (or unknown), end-2025 for the rest', () => {
    expect(connectionDeadlineOf({ industries: ['metal-dust'], dustWorkers: 30 }).deadline).toBe('2024-12-31');
    expect(connectionDeadlineOf({ industries: ['wood-dust'], dustWorkers: 29 }).deadline).toBe('2025-12-31');
    expect(connectionDeadlineOf({ industries: ['wood-dust'] }).deadline).toBe('2024-12-31');
    expect(connectionDeadlineOf({ industries: ['steel'], dustWorkers: 500 }).deadline).toBe('2025-12-31');
    expect(connectionDeadlineOf({ industries: ['aluminium-casting'] }).endsAt).toBe(
      Date.parse('2025-12-31T16:00:00Z'),
    );
  });
});

describe('rollout report', () => {
  const dust = ent('140105D01', { dustWorkers: 45 });
  const steel = ent('140105S01', {
    industries: ['steel'],
    hazards: ['industrial-gas'],
    connectionRequiredBy: '2024-12-31',
  });
  const input = (to: number, firstSeen: Record<string, number>) => ({
    enterprises: [dust, steel],
    gateways: [gw(dust.id), gw(steel.id)],
    firstSeen: new Map(Object.entries(firstSeen)),
    activity: [],
    from: to - DAY,
    to,
    bucketMs: HOUR,
  });

  it('does not count a dust enterprise as required on its deadline day, and does right after', () => {
    const before = rolloutReport(input(LAST_MS_2024, {}));
    expect(before.enterprises.find((e) => e.enterpriseId === dust.id)?.status).toBe('not-yet-due');
    expect(before.months.at(-1)).toMatchObject({ required: 0, accessRate: null });
    const after = rolloutReport(input(NEW_YEAR_2025 + HOUR, {}));
    expect(after.enterprises.find((e) => e.enterpriseId === dust.id)?.status).toBe('overdue');
    expect(after.months.at(-1)).toMatchObject({ month: '2025-01', required: 1, connected: 0, accessRate: 0 });
    expect(after.attention).toEqual([dust.id]);
  });

  it('tells on-time from late by the first reading against the end of the deadline day', () => {
    const onTime = rolloutReport(input(NEW_YEAR_2025 + DAY, { [dust.id]: LAST_MS_2024 }));
    expect(onTime.enterprises[0]?.status).toBe('on-time');
    const late = rolloutReport(input(NEW_YEAR_2025 + DAY, { [dust.id]: NEW_YEAR_2025 }));
    expect(late.enterprises[0]?.status).toBe('late');
  });

  it('derives the steel deadline and flags the registry field that disagrees', () => {
    const r = rolloutReport(input(NEW_YEAR_2025 + HOUR, {}));
    expect(r.enterprises.find((e) => e.enterpriseId === steel.id)).toMatchObject({
      deadline: '2025-12-31',
      status: 'not-yet-due',
      registryDeadlineMismatch: '2024-12-31',
    });
  });

  it('computes 在线率 from buckets with readings, by month over more than 31 days', () => {
    const from = Date.parse('2025-10-31T16:00:00Z'); // 2025-11-01 CST
    const to = from + 61 * DAY; // to 2026-01-01 CST
    const nov = Array.from({ length: 15 * 24 }, (_, i) => ({
      ts: from + i * HOUR,
      enterpriseId: dust.id,
      gatewayId: 'gw-01',
    }));
    const r = rolloutReport({
      enterprises: [dust],
      gateways: [gw(dust.id)],
      firstSeen: new Map([[dust.id, from]]),
      activity: nov,
      from,
      to,
      bucketMs: HOUR,
    });
    expect(r.months.map((m) => [m.month, m.onlineRate])).toEqual([
      ['2025-11', 0.5],
      ['2025-12', 0],
    ]);
    expect(r.enterprises[0]).toMatchObject({ offlineNow: true, onlineRate: (15 * 24) / (61 * 24) });
  });

  it('exports the list as CSV with a BOM and zh-CN headers', () => {
    const csv = rolloutCsv(rolloutReport(input(NEW_YEAR_2025 + DAY, { [dust.id]: NEW_YEAR_2025 })));
    expect(csv.startsWith('\uFEFF企业编码,企业名称,区县,接入期限')).toBe(true);
    expect(csv).toContain('140105D01,企业140105D01,140105,2024-12-31,2025-01-01 00:00:00,逾期接入');
  });
});
