import type { ContactChannel } from '@yujing/schemas';
import type { AddressPolicy } from '../../ssrf-guard';
import type { ChannelAdapter, ProviderCodePolicy } from './channel-adapter';
import { originOf } from './dingtalk-robot';
import { postRobotMessage } from './robot-webhook';

type WeComChannel = Extract<ContactChannel, { kind: 'wecom' }>;

/**
 * WeCom (企业微信) group robot, per its public docs: POST JSON to
 * `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>`; the key in the URL is the only
 * credential. Markdown content is at most 4096 bytes. Answer: `{"errcode":0,"errmsg":"ok"}`.
 */

/** WeCom's limit on markdown.content, in UTF-8 bytes. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/** Cuts text to at most `max` UTF-8 bytes without splitting a character. */
export function clipUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/**
 * errcodes that cannot succeed on retry: 93000 (invalid webhook URL / key), 93004 (robot
 * disabled), 40008 (invalid message type), 44004 (empty content). 45009 (API frequency limit,
 * 20 per minute per robot) and −1 (system busy) are retried.
 */
export const WECOM_CODES: ProviderCodePolicy = {
  permanent: new Set(['93000', '93004', '40008', '44004']),
};

export function weComAdapter(opts: {
  policy: AddressPolicy;
  requireHttps?: boolean;
}): ChannelAdapter<WeComChannel> {
  return {
    kind: 'wecom',
    target: (c) => `wecom:${originOf(c.webhookUrl)}`,
    async send(channel, message, timeoutMs) {
      const body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { content: clipUtf8(message.notice.markdown, WECOM_MARKDOWN_MAX_BYTES) },
      });
      return postRobotMessage({
        provider: 'wecom',
        codes: WECOM_CODES,
        url: channel.webhookUrl,
        body,
        timeoutMs,
        policy: opts.policy,
        requireHttps: opts.requireHttps ?? false,
      });
    },
  };
}
