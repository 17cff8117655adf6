import { type Enterprise, Enterprise as EnterpriseSchema } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { yearlyCap } from '../src/inspections/inspection-caps';
import {
  capRefusal,
  type EnterpriseRiskSignals,
  inspectionWorklist,
} from '../src/inspections/inspection-worklist';
import { inspectionFixture } from './supervision-fixtures';

const NOW = Date.parse('2026-12-02T02:00:00Z');
const ent = (id: string, over: Record<string, unknown>): Enterprise =>
  EnterpriseSchema.parse({
    id,
    name: `企业${id}`,
    region: { province: '140000', city: '140100', county: '140105' },
    industries: ['metal-dust'],
    hazards: ['explosive-dust'],
    classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
    connectionRequiredBy: '2025-12-31',
    ...over,
  });

describe('inspection caps (Shanxi 2025, sources.md §4)', () => {
  it('gives 2/4/8/12 to metal smelting and 1/2/4/6 to the others by 标准化 grade', () => {
    const steel = (g: string) =>
      ent('140105S01', { industries: ['steel'], hazards: ['industrial-gas'], standardizationGrade: g });
    const dust = (g: string) => ent('140105D01', { standardizationGrade: g });
    expect(['1', '2', '3', 'none'].map((g) => yearlyCap(steel(g)))).toEqual([2, 4, 8, 12]);
    expect(['1', '2', '3', 'none'].map((g) => yearlyCap(dust(g)))).toEqual([1, 2, 4, 6]);
  });

  it('refuses a second administrative inspection of a grade-1 dust enterprise in the same year only', () => {
    const e = ent('140105D01', { standardizationGrade: '1' });
    const lastYear = inspectionFixture(e.id, 'old', Date.parse('2025-12-31T15:00:00Z')); // 2025-12-31 23:00 CST
    expect(capRefusal(e, [lastYear], 'administrative', NOW)).toBeUndefined();
    const thisYear = inspectionFixture(e.id, 'new', Date.parse('2025-12-31T16:00:00Z')); // 2026-01-01 00:00 CST
    expect(capRefusal(e, [thisYear], 'administrative', NOW)).toContain('已达上限 1 次');
    expect(capRefusal(e, [thisYear], 'supervisory', NOW)).toBeUndefined();
  });
});

describe('inspection worklist', () => {
  const quiet: EnterpriseRiskSignals = {
    openHazards: 0,
    overdueHazards: 0,
    openLoops: 0,
    overdueLoops: 0,
    online: true,
  };
  it('ranks open and overdue hazards, class and connectivity, and sinks enterprises at their cap', () => {
    const a = ent('140105A01', { classification: { scheme: 'shanxi-yjgm-2024', code: 'A', rank: 1 } });
    const b = ent('140105B01', {});
    const c = ent('140105C01', { classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 } });
    const capped = ent('140105X01', {
      standardizationGrade: '1',
      classification: { scheme: 'shanxi-yjgm-2024', code: 'A', rank: 1 },
    });
    const signals = new Map<string, EnterpriseRiskSignals>([
      [a.id, quiet],
      [b.id, { ...quiet, openHazards: 1, overdueHazards: 1 }],
      [c.id, { ...quiet, online: false }],
      [capped.id, { ...quiet, openHazards: 3 }],
    ]);
    const list = inspectionWorklist(
      [a, b, c, capped],
      [inspectionFixture(capped.id, 'i1', NOW - 1000)],
      signals,
      NOW,
    );
    // b: B 30 + 未定级 15 + hazards 50 = 95; c: B 30 + 15 + offline 15 = 60; a: A 40 + 15 = 55.
    expect(list.map((i) => i.enterpriseId)).toEqual([b.id, c.id, a.id, capped.id]);
    expect(list.map((i) => i.score)).toEqual([95, 60, 55, 40 + 0 + 75]);
    expect(list[0]?.reasons).toContain('逾期未整改 1 项');
    expect(list[3]).toMatchObject({ cap: 1, done: 1, remaining: 0 });
  });
});
