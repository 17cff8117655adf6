/** zh-CN words of the console (ISA-18.2 states, the closed loop, kinds, roles, industries). */
export const STATE_LABEL: Record<string, string> = {
  normal: '正常',
  'active-unack': '报警未确认',
  'active-ack': '报警已确认',
  'rtn-unack': '已恢复未确认',
  shelved: '已搁置',
  suppressed: '已抑制',
  'out-of-service': '停用',
};

export const LOOP_LABEL: Record<string, string> = {
  open: '待核实',
  verified: '已核实',
  disposed: '已处置',
  'fed-back': '已反馈',
  closed: '已销号',
};

export const STEP_LABEL: Record<string, string> = {
  verify: '核实',
  dispose: '处置',
  feedback: '反馈',
  close: '销号',
};

export const KIND_LABEL: Record<string, string> = {
  threshold: '超限',
  'rate-of-change': '变化率',
  trend: '趋势',
  'no-data': '无数据',
  'gateway-offline': '网关离线',
  'sensor-fault': '传感器故障',
  combination: '组合',
  vote: '表决',
};

export const LEVEL_LABEL: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

export const TRANSITION_LABEL: Record<string, string> = {
  raise: '报警产生',
  escalate: '升级',
  deescalate: '降级',
  ack: '确认',
  rtn: '恢复正常',
  clear: '清除',
  shelve: '搁置',
  unshelve: '取消搁置',
  'shelve-expired': '搁置到期',
  suppress: '抑制',
  unsuppress: '取消抑制',
  'out-of-service': '停用',
  'in-service': '恢复启用',
  chatter: '抖动',
  verify: '核实',
  dispose: '处置',
  feedback: '反馈',
  close: '销号',
  comment: '备注',
  'loop-overdue': '闭环超期',
};

export const ROLE_LABEL: Record<string, string> = {
  operator: '值班员',
  regulator: '监管',
  enterprise: '企业',
  admin: '管理员',
};

export const INDUSTRY_LABEL: Record<string, string> = {
  steel: '钢铁',
  metallurgy: '冶金',
  'non-ferrous': '有色',
  aluminium: '铝加工',
  'dust-explosion': '粉尘涉爆',
  building: '建材',
  textile: '纺织',
  light: '轻工',
  machinery: '机械',
  tobacco: '烟草',
  trade: '商贸',
};

export const DELIVERY_STATUS_LABEL: Record<string, string> = {
  delivered: '已送达',
  failed: '失败',
  rejected: '被拒收',
  'dead-lettered': '进入死信',
};

export const WEBHOOK_EVENT_LABEL: Record<string, string> = {
  'alarm.raised': '报警推送',
  'alarm.escalated': '升级推送',
  'alarm.reminder': '提醒推送',
  'alarm.acknowledged': '确认推送',
  'alarm.resolved': '恢复推送',
  'alarm.closed': '销号推送',
  'loop.overdue': '闭环超期推送',
};

export const label = (map: Record<string, string>, key: string | number): string => map[key] ?? String(key);
