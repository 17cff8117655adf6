import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Person } from '@yujing/schemas';

/**
 * The duty people's DingTalk and WeCom robots of the fixture registry, without the socket:
 * checks a robot request as the providers document it (DingTalk: access_token, a timestamp
 * within an hour, sign = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret)));
 * WeCom: a known key; both: a markdown message) and answers like them ({errcode, errmsg}).
 * Each accepted message becomes a line for the demo's `yujing watch --deliveries` tail.
 */

export interface RobotMessageLine {
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  status: number;
  path: string;
  /** "钉钉 → <person name>" / "企业微信 → <person names>". */
  subscriptionId: string;
  event: string;
  deliveryId: null;
  attempt: number;
  reason?: string;
  title?: string;
  text?: string;
  /** What the demo board shows (level, enterprise, point), read back from the message's console link. */
  payload?: { alarm: { alarmId: string; enterpriseId: string; point: string; level: number } };
}

interface Robot {
  kind: 'dingtalk' | 'wecom';
  secret?: string | undefined;
  people: string[];
}

const LEVELS: Record<string, number> = { 一级: 1, 二级: 2, 三级: 3, 四级: 4 };

export class DutyRobotInbox {
  readonly #robots = new Map<string, Robot>();

  /** Robots of every person whose channel URL starts with `base` (e.g. http://127.0.0.1:9812). */
  constructor(people: readonly Person[], base: string) {
    for (const p of people) {
      for (const c of p.channels) {
        if ((c.kind !== 'dingtalk' && c.kind !== 'wecom') || !c.webhookUrl.startsWith(base)) continue;
        const url = new URL(c.webhookUrl);
        const key =
          c.kind === 'dingtalk' ? url.pathname : `${url.pathname}?key=${url.searchParams.get('key')}`;
        const robot = this.#robots.get(key) ?? {
          kind: c.kind,
          secret: c.kind === 'dingtalk' ? c.secret : undefined,
          people: [],
        };
        robot.people.push(p.name);
        this.#robots.set(key, robot);
      }
    }
  }

  get size(): number {
    return this.#robots.size;
  }

  handle(
    rawUrl: string,
    body: string,
    nowMs: number,
  ): { status: number; body: object; line: RobotMessageLine } {
    const url = new URL(rawUrl, 'http://robot');
    const isWeCom = url.pathname === '/wecom/send';
    const key = isWeCom ? `${url.pathname}?key=${url.searchParams.get('key')}` : url.pathname;
    const robot = this.#robots.get(key);
    const base = { receivedAt: nowMs, path: url.pathname, deliveryId: null, attempt: 1 } as const;
    const refuse = (errcode: number, reason: string) => ({
      status: 200,
      body: { errcode, errmsg: reason },
      line: {
        ...base,
        outcome: 'rejected' as const,
        status: 200,
        subscriptionId: key,
        event: 'robot',
        reason,
      },
    });
    if (!robot) return refuse(isWeCom ? 93000 : 300001, 'unknown robot');
    if (robot.kind === 'dingtalk') {
      const ts = Number(url.searchParams.get('timestamp'));
      if (!url.searchParams.get('access_token')) return refuse(300001, 'no access_token');
      if (robot.secret) {
        const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest();
        const given = Buffer.from(url.searchParams.get('sign') ?? '', 'base64');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          return refuse(310000, 'sign not match');
        if (Math.abs(nowMs - ts) > 3_600_000) return refuse(310000, 'timestamp too old');
      }
    }
    let msg: { msgtype?: string; markdown?: { title?: string; text?: string; content?: string } };
    try {
      msg = JSON.parse(body);
    } catch {
      return refuse(40008, 'body is not JSON');
    }
    const text = robot.kind === 'dingtalk' ? msg.markdown?.text : msg.markdown?.content;
    if (msg.msgtype !== 'markdown' || !text) return refuse(40008, 'not a markdown message');
    const title = msg.markdown?.title ?? text.split('\n')[0]?.replace(/^#+\s*/, '') ?? '';
    const alarmId = decodeURIComponent(text.match(/\/alarms\/([^)\s]+)/)?.[1] ?? '');
    const [enterpriseId = '', point = ''] = alarmId.split(':');
    const level = LEVELS[(text + title).match(/([一二三四]级)/)?.[1] ?? ''] ?? 0;
    const headline = text.match(/^###\s*(.+)$/m)?.[1] ?? title;
    return {
      status: 200,
      body: { errcode: 0, errmsg: 'ok' },
      line: {
        ...base,
        outcome: 'accepted',
        status: 200,
        subscriptionId: `${robot.kind === 'dingtalk' ? '钉钉' : '企业微信'} ${robot.people.join('、')}`,
        event: headline,
        title,
        text,
        ...(alarmId ? { payload: { alarm: { alarmId, enterpriseId, point, level } } } : {}),
      },
    };
  }
}
