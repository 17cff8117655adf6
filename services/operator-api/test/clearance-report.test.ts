import { type Enterprise, Enterprise as EnterpriseSchema } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { clearanceReport } from '../src/hazards/clearance-report';
import { hazardFixture } from './supervision-fixtures';

const DAY = 86_400_000;
/** 2026-10-01 00:00 and 2026-12-01 00:00 Asia/Shanghai. */
const OCT1 = Date.parse('2026-09-30T16:00:00Z');
const DEC1 = Date.parse('2026-11-30T16:00:00Z');
const NOW = DEC1 + 2 * DAY;

const ent = (id: string, county: string, industries: string[]): Enterprise =>
  EnterpriseSchema.parse({
    id,
    name: `企业${id}`,
    region: { province: '140000', city: `${county.slice(0, 4)}00`, county },
    industries,
    hazards: industries.includes('steel') ? ['industrial-gas'] : ['explosive-dust'],
    classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
    connectionRequiredBy: '2025-12-31',
  });
const STEEL = ent('140105TY001', '140105', ['steel']);
const DUST = ent('140213DT001', '140213', ['metal-dust']);

describe('动态清零 report', () => {
  const hazards = [
    // confirmed 2026-10-05, closed 2026-10-15: cleared in 10 days
    hazardFixture(STEEL.id, 'h1', 'closed', OCT1 + 4 * DAY, { closedAt: OCT1 + 14 * DAY }),
    // confirmed 2026-11-10 (deadline +7 d), still rectifying: open and overdue
    hazardFixture(STEEL.id, 'h2', 'rectifying', OCT1 + 40 * DAY),
    // dust, confirmed 2026-11-28, deadline in the future
    hazardFixture(DUST.id, 'h3', 'confirmed', DEC1 - 2 * DAY),
    // awaiting moderation/confirmation: not counted as open
    hazardFixture(DUST.id, 'h4', 'reported', DEC1 - DAY),
  ];
  const report = clearanceReport(hazards, [STEEL, DUST], OCT1, DEC1 + 3 * DAY, NOW);

  it('counts open, overdue and unconfirmed per region and industry', () => {
    const row = (code: string, industry: string) =>
      report.rows.find((r) => r.code === code && r.industry === industry);
    expect(row('140000', 'steel')).toMatchObject({
      open: 1,
      overdue: 1,
      closedInPeriod: 1,
      medianTimeToClearMs: 10 * DAY,
    });
    expect(row('140213', 'metal-dust')).toMatchObject({
      open: 1,
      overdue: 0,
      unconfirmed: 1,
      closedInPeriod: 0,
    });
    expect(row('140213', 'metal-dust')?.medianTimeToClearMs).toBeNull();
    expect(row('140105', 'metal-dust')).toBeUndefined();
    expect(report.cleared).toBe(false);
  });

  it('gives the trend by Asia/Shanghai month', () => {
    expect(report.trend).toEqual([
      { month: '2026-10', confirmed: 1, closed: 1, openAtEnd: 0 },
      { month: '2026-11', confirmed: 2, closed: 0, openAtEnd: 2 },
      { month: '2026-12', confirmed: 0, closed: 0, openAtEnd: 2 },
    ]);
  });

  it('is cleared when every confirmed hazard in scope is closed', () => {
    expect(clearanceReport(hazards.slice(0, 1), [STEEL, DUST], OCT1, DEC1, NOW).cleared).toBe(true);
    expect(clearanceReport(hazards, [], OCT1, DEC1, NOW)).toEqual({
      rows: [],
      trend: expect.any(Array),
      cleared: true,
    });
  });
});
