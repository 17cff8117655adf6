import type { Enterprise, InspectionRecord } from '@yujing/schemas';
import { INSPECTION_CAPS, type InspectionCategory, inspectionCategory, yearlyCap } from './inspection-caps';

/** What the worklist knows about one enterprise besides the registry. */
export interface EnterpriseRiskSignals {
  openHazards: number;
  overdueHazards: number;
  /** Open closed loops of its alarms (核实 … 销号 not done). */
  openLoops: number;
  /** Of those, past a step deadline. */
  overdueLoops: number;
  /** False when none of its gateways is online (or it never connected). */
  online: boolean;
}

export interface WorklistItem {
  enterpriseId: string;
  name: string;
  county: string;
  classification: string;
  grade: Enterprise['standardizationGrade'];
  category: InspectionCategory;
  /** Yearly cap of administrative inspections (INSPECTION_CAPS). */
  cap: number;
  /** Administrative inspections in the calendar year (Asia/Shanghai). */
  done: number;
  remaining: number;
  supervisoryDone: number;
  score: number;
  /** Why it ranks where it does (zh-CN). */
  reasons: string[];
}

/**
 * Weights of the risk ranking. [D] design choice, no official weighting was found (sources.md §4
 * only says class and 标准化 feed 差异化监管): an open major hazard outweighs everything, then class,
 * then alarm handling and connectivity.
 */
export const WORKLIST_WEIGHTS = {
  classRank: { 1: 40, 2: 30, 3: 15, 4: 5 } as Record<number, number>,
  openHazard: 25,
  overdueHazard: 25,
  openLoop: 2,
  overdueLoop: 5,
  offline: 15,
  grade: { '1': 0, '2': 5, '3': 10, none: 15 } as Record<Enterprise['standardizationGrade'], number>,
};

const CST_MS = 8 * 3_600_000;
const yearOf = (ts: number) => new Date(ts + CST_MS).getUTCFullYear();

/**
 * The 执法检查 worklist of a region for the year of `now`, highest risk first. Enterprises whose
 * yearly cap is used up stay on the list with remaining 0 and sink to the bottom: inspecting them
 * again this year would break the cap. Pure.
 */
export function inspectionWorklist(
  enterprises: readonly Enterprise[],
  inspections: readonly InspectionRecord[],
  signals: ReadonlyMap<string, EnterpriseRiskSignals>,
  now: number,
): WorklistItem[] {
  const year = yearOf(now);
  const w = WORKLIST_WEIGHTS;
  return enterprises
    .map((e) => {
      const mine = inspections.filter((i) => i.enterpriseId === e.id && yearOf(i.inspectedAt) === year);
      const done = mine.filter((i) => i.kind === 'administrative').length;
      const cap = yearlyCap(e);
      const s = signals.get(e.id) ?? {
        openHazards: 0,
        overdueHazards: 0,
        openLoops: 0,
        overdueLoops: 0,
        online: false,
      };
      const reasons: string[] = [`分级分类 ${e.classification.code} 类`];
      let score = (w.classRank[e.classification.rank] ?? 0) + w.grade[e.standardizationGrade];
      if (s.openHazards > 0) reasons.push(`未清零重大事故隐患 ${s.openHazards} 项`);
      if (s.overdueHazards > 0) reasons.push(`逾期未整改 ${s.overdueHazards} 项`);
      if (s.overdueLoops > 0) reasons.push(`报警闭环逾期 ${s.overdueLoops} 条`);
      if (!s.online) reasons.push('数据离线或未接入');
      score += s.openHazards * w.openHazard + s.overdueHazards * w.overdueHazard;
      score += s.openLoops * w.openLoop + s.overdueLoops * w.overdueLoop + (s.online ? 0 : w.offline);
      if (done >= cap) reasons.push(`本年度行政检查已达上限 ${cap} 次`);
      return {
        enterpriseId: e.id,
        name: e.name,
        county: e.region.county,
        classification: e.classification.code,
        grade: e.standardizationGrade,
        category: inspectionCategory(e),
        cap,
        done,
        remaining: Math.max(0, cap - done),
        supervisoryDone: mine.filter((i) => i.kind === 'supervisory').length,
        score,
        reasons,
      };
    })
    .sort(
      (a, b) =>
        Number(b.remaining > 0) - Number(a.remaining > 0) ||
        b.score - a.score ||
        a.enterpriseId.localeCompare(b.enterpriseId),
    );
}

/** Refusal text when recording one more inspection would break a cap; undefined when it is allowed. */
export function capRefusal(
  e: Enterprise,
  inspections: readonly InspectionRecord[],
  kind: InspectionRecord['kind'],
  at: number,
): string | undefined {
  const year = yearOf(at);
  const done = inspections.filter(
    (i) => i.enterpriseId === e.id && i.kind === kind && yearOf(i.inspectedAt) === year,
  ).length;
  const cap = kind === 'administrative' ? yearlyCap(e) : INSPECTION_CAPS.supervisoryPerYear;
  return done >= cap
    ? `${e.name} 本年度${kind === 'administrative' ? '行政检查' : '督导检查'}已达上限 ${cap} 次 (${INSPECTION_CAPS.source})`
    : undefined;
}
