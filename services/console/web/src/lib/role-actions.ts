/**
 * Which alarm actions each role may take: the same table operator-api enforces
 * (services/operator-api/src/auth/access-matrix.ts, docs/access-control.md). Buttons a role may
 * not use are disabled with the reason; the API remains the authority and its refusals are shown.
 */
export type AlarmActionName = 'ack' | 'shelve' | 'unshelve' | 'verify' | 'dispose' | 'feedback' | 'close';

const MAY: Record<string, ReadonlySet<AlarmActionName>> = {
  operator: new Set(['ack', 'shelve', 'unshelve', 'verify', 'dispose', 'feedback']),
  regulator: new Set(['verify', 'close']),
  enterprise: new Set(['ack']),
  admin: new Set(['ack', 'shelve', 'unshelve', 'verify', 'dispose', 'feedback', 'close']),
};

export const roleMayAct = (role: string, action: AlarmActionName): boolean => MAY[role]?.has(action) ?? false;

export const ACTION_LABEL: Record<AlarmActionName, string> = {
  ack: '确认',
  shelve: '搁置',
  unshelve: '取消搁置',
  verify: '核实',
  dispose: '处置',
  feedback: '反馈',
  close: '销号',
};
