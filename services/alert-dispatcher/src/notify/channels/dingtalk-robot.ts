import { createHmac } from 'node:crypto';
import type { ContactChannel } from '@yujing/schemas';
import type { AddressPolicy } from '../../ssrf-guard';
import type { ChannelAdapter, ProviderCodePolicy } from './channel-adapter';
import { postRobotMessage } from './robot-webhook';

type DingTalkChannel = Extract<ContactChannel, { kind: 'dingtalk' }>;

/**
 * DingTalk custom robot (自定义机器人), per DingTalk's open platform docs: POST JSON to the
 * robot's webhook URL; with 加签 the URL also carries `timestamp` (ms) and
 * `sign` = urlencode(base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret))).
 * The answer is HTTP 200 with `{"errcode":0,"errmsg":"ok"}`; any other errcode is a failure.
 */

/** The `sign` query value (already URL-encoded) of a signed robot request. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** The request URL: the robot URL, plus timestamp and sign when the robot has a secret. */
export function dingTalkUrl(channel: Pick<DingTalkChannel, 'webhookUrl' | 'secret'>, nowMs: number): string {
  if (!channel.secret) return channel.webhookUrl;
  const sep = channel.webhookUrl.includes('?') ? '&' : '?';
  return `${channel.webhookUrl}${sep}timestamp=${nowMs}&sign=${dingTalkSign(channel.secret, nowMs)}`;
}

/**
 * errcodes that cannot succeed on retry: 300001/300005/400101 (token invalid or not found),
 * 310000 (keyword, sign or IP whitelist mismatch), 400013 (group dissolved), 430101 (unsafe
 * link). Others — notably 130101 / 410100 (sending too fast, 20 per minute per robot) and −1
 * (system busy) — are retried with back-off.
 */
export const DINGTALK_CODES: ProviderCodePolicy = {
  permanent: new Set(['300001', '300005', '310000', '400013', '400101', '430101']),
};

export function dingTalkAdapter(opts: {
  policy: AddressPolicy;
  now: () => number;
  requireHttps?: boolean;
}): ChannelAdapter<DingTalkChannel> {
  return {
    kind: 'dingtalk',
    target: (c) => `dingtalk:${originOf(c.webhookUrl)}`,
    async send(channel, message, timeoutMs) {
      const body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: message.notice.title, text: message.notice.markdown },
        at: { atMobiles: channel.atMobiles, isAtAll: false },
      });
      return postRobotMessage({
        provider: 'dingtalk',
        codes: DINGTALK_CODES,
        url: dingTalkUrl(channel, opts.now()),
        body,
        timeoutMs,
        policy: opts.policy,
        requireHttps: opts.requireHttps ?? false,
      });
    },
  };
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
