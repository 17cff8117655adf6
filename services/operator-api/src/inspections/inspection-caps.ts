import type { Enterprise, StandardizationGrade } from '@yujing/schemas';

/**
 * 年度行政检查最高频次 per enterprise and year, by 安全生产标准化 grade (差异化监管).
 * Source: Shanxi 2025 caps (domain sources.md §4, http://aqsx.sxkjnews.com/news/show.php?itemid=5199) [V]:
 * 危化 and 金属冶炼 enterprises 2/4/8/12 for 一级/二级/三级/未定级; non-high-risk ones 1/2/4/6;
 * 督导检查 at most 3 a year.
 */
export const INSPECTION_CAPS = {
  source: 'Shanxi 2025 年度行政检查最高频次 (sources.md §4) [V]',
  administrative: {
    'high-risk': { '1': 2, '2': 4, '3': 8, none: 12 },
    other: { '1': 1, '2': 2, '3': 4, none: 6 },
  } satisfies Record<string, Record<StandardizationGrade, number>>,
  supervisoryPerYear: 3,
} as const;

export type InspectionCategory = keyof typeof INSPECTION_CAPS.administrative;

/**
 * 金属冶炼 enterprises count as high-risk: those with the metal-smelting hazard, and steel plants
 * (冶金 = GB/T 4754 大类31, smelting by definition). [D] the mapping from our industries and hazards
 * to the caps' categories; yujing has no 危化 enterprises.
 */
export function inspectionCategory(e: Pick<Enterprise, 'hazards' | 'industries'>): InspectionCategory {
  return e.hazards.includes('metal-smelting') || e.industries.includes('steel') ? 'high-risk' : 'other';
}

export function yearlyCap(e: Pick<Enterprise, 'hazards' | 'industries' | 'standardizationGrade'>): number {
  return INSPECTION_CAPS.administrative[inspectionCategory(e)][e.standardizationGrade];
}
