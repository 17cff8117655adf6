import type { AlarmTransitionEvent } from '@yujing/schemas';
import { formatShanghai } from './shanghai-clock';

/**
 * zh-CN message texts per notice event, for every person channel: a title, a Markdown body
 * (DingTalk, WeCom, e-mail), a short plain text, and the named variables an SMS or voice
 * provider template fills in (their templates are registered with the provider; see
 * docs/notifications.md for the variable names). Times are Asia/Shanghai. Pure.
 */

export interface NoticeFacts {
  event: string;
  alarm: Pick<
    AlarmTransitionEvent,
    'alarmId' | 'point' | 'level' | 'value' | 'limit' | 'eventTime' | 'emittedAt'
  >;
  enterpriseName: string;
  /** The point's registry name, else its code. */
  pointName: string;
  unit?: string | undefined;
  /** Link to the alarm in the console. */
  consoleUrl: string;
  /** One-time acknowledge link; absent when links are off or the notice needs no acknowledgement. */
  ackUrl?: string | undefined;
  /** 1-based escalation step, for escalations. */
  stepNumber?: number | undefined;
}

export interface RenderedNotice {
  title: string;
  markdown: string;
  text: string;
  /** Provider template variables (SMS/voice); each at most PARAM_MAX characters. */
  params: Record<string, string>;
}

/** Aliyun caps one template variable at 35 characters; longer values are cut with "…". */
export const PARAM_MAX = 35;

export const LEVEL_NAMES: Record<number, string> = {
  1: '一级（红色）',
  2: '二级（橙色）',
  3: '三级（黄色）',
  4: '四级（蓝色）',
};

/** The headline of each event; unknown events get a neutral headline instead of failing. */
export const EVENT_HEADLINES: Record<string, string> = {
  'alarm.raised': '报警',
  'alarm.escalated': '报警升级',
  'alarm.reminder': '报警未确认提醒',
  'alarm.acknowledged': '报警已确认',
  'alarm.resolved': '报警已恢复正常',
  'alarm.closed': '报警已销号',
  'loop.overdue': '闭环处置超期',
};

/** What the receiver is asked to do, per event. */
const ASKS: Record<string, string> = {
  'alarm.raised': '请立即核实现场情况并确认报警。',
  'alarm.escalated': '报警未在规定时间内确认，已逐级上报，请立即处置。',
  'alarm.reminder': '报警仍未确认，请尽快确认并处置。',
  'alarm.acknowledged': '报警已有人确认，请跟进处置。',
  'alarm.resolved': '监测值已恢复正常，请完成核实、处置与销号。',
  'alarm.closed': '报警已完成闭环销号。',
  'loop.overdue': '报警闭环（核实、处置、反馈、销号）已超过规定时限，请督办。',
};

const clip = (s: string) => (s.length > PARAM_MAX ? `${s.slice(0, PARAM_MAX - 1)}…` : s);
const num = (v: number | null, unit?: string) => (v === null ? '—' : `${v}${unit ? ` ${unit}` : ''}`);

export function renderNotice(f: NoticeFacts): RenderedNotice {
  const headline = EVENT_HEADLINES[f.event] ?? '报警通知';
  const level = LEVEL_NAMES[f.alarm.level] ?? `${f.alarm.level}级`;
  const time = formatShanghai(f.alarm.eventTime);
  const value = num(f.alarm.value, f.unit);
  const limit = num(f.alarm.limit, f.unit);
  const step = f.event === 'alarm.escalated' && f.stepNumber ? `（第${f.stepNumber}级上报）` : '';
  const title = `【${level}${headline}】${f.enterpriseName} ${f.pointName}`;
  const ask = ASKS[f.event] ?? '';
  const lines = [
    `企业：${f.enterpriseName}`,
    `点位：${f.pointName}`,
    `监测值：${value}（限值 ${limit}）`,
    `级别：${level}`,
    `时间：${time}（北京时间）`,
  ];
  const markdown = [
    `### ${headline}${step}`,
    ...lines.map((l) => `- ${l}`),
    '',
    ask,
    '',
    `[在监测平台查看](${f.consoleUrl})`,
    ...(f.ackUrl ? ['', `[确认报警（一次有效）](${f.ackUrl})`] : []),
  ].join('\n');
  const text = [
    `${title}${step}`,
    ...lines,
    ask,
    `查看：${f.consoleUrl}`,
    ...(f.ackUrl ? [`确认：${f.ackUrl}`] : []),
  ].join('\n');
  return {
    title,
    markdown,
    text,
    params: {
      event: clip(headline),
      enterprise: clip(f.enterpriseName),
      point: clip(f.pointName),
      value: clip(value),
      limit: clip(limit),
      level: clip(level),
      time: clip(time),
    },
  };
}
