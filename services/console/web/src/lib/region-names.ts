/**
 * Names of Shanxi's administrative divisions the console shows (GB/T 2260 codes, 民政部
 * 行政区划代码): the province, its 11 cities and the counties of the fixture fleet. A code not
 * listed shows as the code.
 */
export const REGION_NAME: Record<string, string> = {
  '140000': '山西省',
  '140100': '太原市',
  '140200': '大同市',
  '140300': '阳泉市',
  '140400': '长治市',
  '140500': '晋城市',
  '140600': '朔州市',
  '140700': '晋中市',
  '140800': '运城市',
  '140900': '忻州市',
  '141000': '临汾市',
  '141100': '吕梁市',
  '140105': '小店区',
  '140106': '迎泽区',
  '140107': '杏花岭区',
  '140108': '尖草坪区',
  '140109': '万柏林区',
  '140110': '晋源区',
  '140121': '清徐县',
  '140403': '潞州区',
  '140404': '上党区',
  '140405': '屯留区',
  '140702': '榆次区',
  '140781': '介休市',
  '140802': '盐湖区',
  '140881': '永济市',
  '140882': '河津市',
  '141002': '尧都区',
  '141081': '侯马市',
  '141082': '霍州市',
  '141181': '孝义市',
};

export const regionName = (code: string): string => REGION_NAME[code] ?? code;
