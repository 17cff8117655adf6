import type { Industry } from '@yujing/schemas';

/**
 * The 重大事故隐患 criteria a hazard can be registered against, as data with their sources
 * (/work/shared/domain/sources.md §1). `clause` is set only where the clause was read in the
 * official text ([V]); otherwise it is null and the tag says why. Texts are summaries in the
 * words of the source, not the official wording, unless the tag says so.
 */
export interface HazardCriterion {
  id: string;
  /** Industries the criterion applies to. */
  industries: readonly Industry[];
  /** The standard: 应急管理部令第10号 《工贸企业重大事故隐患判定标准》 (in force 2023-05-15). */
  standard: string;
  /** The clause, e.g. 第九条(三), only when read in the source ([V]); null otherwise. */
  clause: string | null;
  text: string;
  /** [V] verified in an official text, [S] secondary, [U] unknown (domain README). */
  tag: '[V]' | '[S]' | '[U]';
  source: string;
}

const ORDER_10 = '应急管理部令第10号《工贸企业重大事故隐患判定标准》';
const SOURCES = 'sources.md §1 (10号令 items: anzhuopai.com 冶金 items, czlst.com.cn dust items)';
const STEEL: readonly Industry[] = ['steel'];
const AL: readonly Industry[] = ['aluminium-casting'];
const DUST: readonly Industry[] = ['metal-dust', 'wood-dust'];

export const HAZARD_CRITERIA: readonly HazardCriterion[] = [
  {
    id: 'steel-water-cooled-elements',
    industries: STEEL,
    standard: ORDER_10,
    clause: '第四条(四)',
    text: '转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件未设置出水温度、进出水流量差监测报警装置，或者未与炉体倾动、氧（副）枪自动提升、电极自动断电和升起联锁',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'steel-bf-top-pressure',
    industries: STEEL,
    standard: ORDER_10,
    clause: null,
    text: '高炉炉顶工作压力超过设计值，或者炉顶压力监测未与炉顶放散阀联锁',
    tag: '[U]',
    source:
      'sources.md §1a: the fields are [S] (an enterprise reporting client); the 10号令 wording and clause are recalled, not read',
  },
  {
    id: 'al-emergency-water',
    industries: AL,
    standard: ORDER_10,
    clause: '第九条(一)',
    text: '熔炼炉、铸造机（结晶器除外）、加热炉等水冷设备设施未设置应急水源',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'al-melting-water-cooled-elements',
    industries: AL,
    standard: ORDER_10,
    clause: '第九条(二)',
    text: '熔炼炉的闭路循环水冷元件未设置出水温度、进出水流量差监测报警装置，或者开路水冷元件未设置进水流量、压力监测报警装置及出水温度监测',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'al-mould-cooling-water',
    industries: AL,
    standard: ORDER_10,
    clause: '第九条(三)',
    text: '深井铸造结晶器冷却水系统未设置进水压力、进水流量监测报警装置，或者未与快速切断阀、紧急排放阀、流槽断开装置及倾动式浇铸炉控制系统联锁',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'al-launder-level',
    industries: AL,
    standard: ORDER_10,
    clause: '第九条(四)(五)(六)',
    text: '深井铸造浇铸炉铝液出口流槽、流槽与模盘（分配流槽）入口未设置液位监测报警装置，或者液位异常时未联锁切断、紧急排放、断开流槽及倾动炉自动回倾',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'al-wire-rope-hoist',
    industries: AL,
    standard: ORDER_10,
    clause: null,
    text: '深井铸造钢丝绳卷扬使用非钢芯钢丝绳',
    tag: '[V]',
    source: 'sources.md §1b: the item is [V]; its clause number was not recorded',
  },
  {
    id: 'dust-non-frame-building',
    industries: DUST,
    standard: ORDER_10,
    clause: '第十一条(一)',
    text: '粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'dust-shared-system',
    industries: DUST,
    standard: ORDER_10,
    clause: '第十一条(二)',
    text: '除尘系统共用或者互联互通（不同类别粉尘、不同建筑或防火分区共用一套除尘系统）',
    tag: '[V]',
    source: SOURCES,
  },
  {
    id: 'dust-no-explosion-protection',
    industries: DUST,
    standard: ORDER_10,
    clause: '第十一条(三)',
    text: '干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施（仅隔爆不满足）',
    tag: '[V]',
    source: `${SOURCES}; GB 15577-2018 7.1.3`,
  },
  {
    id: 'dust-spark-detection',
    industries: DUST,
    standard: ORDER_10,
    clause: '第十一条(四)',
    text: '铝镁等金属粉尘除尘系统正压运行，或者其他粉尘正压吹送、上游设备产生火花时，未设置火花探测消除等防范点燃源措施',
    tag: '[V]',
    source: `${SOURCES}; GB 17919-2025 §4`,
  },
  {
    id: 'dust-settling-chamber',
    industries: DUST,
    standard: ORDER_10,
    clause: '第十一条(五)',
    text: '采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道',
    tag: '[V]',
    source: SOURCES,
  },
];

const BY_ID = new Map(HAZARD_CRITERIA.map((c) => [c.id, c]));

/** The criterion when it exists and applies to one of the enterprise's industries. */
export function criterionFor(id: string, industries: readonly Industry[]): HazardCriterion | undefined {
  const c = BY_ID.get(id);
  return c?.industries.some((i) => industries.includes(i)) ? c : undefined;
}
