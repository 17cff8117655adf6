import type { DeliveryRecordLine } from './delivery-inbox';

const LEVEL = ['', '一级/红', '二级/橙', '三级/黄', '四级/蓝'];
const COLOUR = ['', '\x1b[31m', '\x1b[38;5;208m', '\x1b[33m', '\x1b[34m'];
const RESET = '\x1b[0m';

/** One human line per request, e.g. for the demo terminal. Colour by alarm level when `colour`. */
export function formatDeliveryLine(r: DeliveryRecordLine, colour: boolean): string {
  const time = new Date(r.receivedAt).toISOString().slice(11, 19);
  if (r.outcome === 'rejected') return `${time} REJECTED ${r.status} ${r.path} ${r.reason ?? ''}`;
  const a = r.payload?.alarm;
  const level = a
    ? `${colour ? COLOUR[a.level] : ''}L${a.level} ${LEVEL[a.level]}${colour ? RESET : ''}`
    : '';
  const what = a ? `${a.enterpriseId}:${a.point} ${a.rule} (${a.kind}) ${a.state}` : '';
  const tag = r.outcome === 'accepted' ? '' : ` [${r.outcome}, attempt ${r.attempt}]`;
  const step = r.payload?.step ? ` → ${r.payload.step.target}` : '';
  return `${time} ${r.subscriptionId} ${r.event}${step} ${level} ${what} delivery=${r.deliveryId}${tag}`;
}
