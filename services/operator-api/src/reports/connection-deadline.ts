import type { Enterprise } from '@yujing/schemas';

/**
 * The connection deadline (接入期限) of an enterprise, derived from the seed's rules instead of
 * trusted from the registry's free `connectionRequiredBy` field. Source: Shanxi 冶金工贸 2024–2026
 * plan and 应急厅函〔2023〕82号 (domain README "The regulatory frame", sources.md) [V]: dust-explosion
 * enterprises with ≥ 30 dust workers by end-2024; all steel, deep-well casting and dust ≥ 10
 * workers by end-2025. Dust enterprises under 10 workers are "locally chosen"; we give them the
 * 2025 date too [D]. A dust enterprise without a declared headcount gets the earlier date [D]: the
 * registry must say otherwise.
 */
export const CONNECTION_DEADLINE_RULES = [
  {
    id: 'dust-30',
    deadline: '2024-12-31',
    text: '粉尘涉爆企业涉粉作业30人以上：2024年底前接入',
    applies: (e: Pick<Enterprise, 'industries' | 'dustWorkers'>) => isDust(e) && (e.dustWorkers ?? 30) >= 30,
  },
  {
    id: 'all-2025',
    deadline: '2025-12-31',
    text: '钢铁、铝加工（深井铸造）及其余粉尘涉爆企业：2025年底前应接尽接',
    applies: () => true,
  },
] as const;

export const CONNECTION_DEADLINE_SOURCE =
  'Shanxi 冶金工贸 2024–2026 plan; 应急厅函〔2023〕82号 (sources.md) [V]';

const isDust = (e: Pick<Enterprise, 'industries'>) =>
  e.industries.includes('metal-dust') || e.industries.includes('wood-dust');

export interface ConnectionDeadline {
  /** YYYY-MM-DD, the last day (Asia/Shanghai) to be connected. */
  deadline: string;
  rule: (typeof CONNECTION_DEADLINE_RULES)[number]['id'];
  /** The end of that day in Asia/Shanghai, epoch ms (exclusive). */
  endsAt: number;
}

export function connectionDeadlineOf(e: Pick<Enterprise, 'industries' | 'dustWorkers'>): ConnectionDeadline {
  const rule = CONNECTION_DEADLINE_RULES.find((r) => r.applies(e)) ?? CONNECTION_DEADLINE_RULES[1];
  return {
    deadline: rule.deadline,
    rule: rule.id,
    endsAt: Date.parse(`${rule.deadline}T00:00:00+08:00`) + 86_400_000,
  };
}
