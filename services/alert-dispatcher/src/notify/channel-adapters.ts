import type { AddressPolicy } from '../ssrf-guard';
import { createAddressPolicy } from '../ssrf-guard';
import { smsAdapter, voiceAdapter } from './channels/aliyun-gateway';
import type { ChannelAdapters } from './channels/channel-adapter';
import { dingTalkAdapter } from './channels/dingtalk-robot';
import { emailAdapter } from './channels/smtp-mailer';
import { weComAdapter } from './channels/wecom-robot';
import type { NotifyConfig } from './notify-config';

/**
 * Every channel adapter of one dispatcher. Robot URLs come from the registry, so they pass the
 * webhooks' SSRF policy; the SMS/voice gateways and the SMTP server are the operator's own
 * configuration and may be private (a gateway in the same network).
 */
export function buildChannelAdapters(opts: {
  config: NotifyConfig;
  robotPolicy: AddressPolicy;
  /** Robot URLs come from the registry like webhook URLs: https only outside development. */
  requireHttps: boolean;
  timeoutMs: number;
  now: () => number;
}): ChannelAdapters {
  const { config } = opts;
  const gatewayPolicy = createAddressPolicy(true);
  const gateway = {
    accessKeyId: config.NOTIFY_GATEWAY_ACCESS_KEY_ID,
    accessKeySecret: config.NOTIFY_GATEWAY_ACCESS_KEY_SECRET?.reveal(),
    policy: gatewayPolicy,
    now: opts.now,
  };
  return {
    dingtalk: dingTalkAdapter({ policy: opts.robotPolicy, now: opts.now, requireHttps: opts.requireHttps }),
    wecom: weComAdapter({ policy: opts.robotPolicy, requireHttps: opts.requireHttps }),
    sms: smsAdapter({
      ...gateway,
      url: config.NOTIFY_SMS_GATEWAY_URL,
      templateCodes: config.NOTIFY_SMS_TEMPLATE_CODES,
      signName: config.NOTIFY_SMS_SIGN_NAME,
    }),
    voice: voiceAdapter({
      ...gateway,
      url: config.NOTIFY_VOICE_GATEWAY_URL,
      templateCodes: config.NOTIFY_VOICE_TTS_CODES,
      showNumber: config.NOTIFY_VOICE_SHOW_NUMBER,
    }),
    email: emailAdapter({
      url: config.NOTIFY_SMTP_URL?.reveal(),
      from: config.NOTIFY_SMTP_FROM,
      timeoutMs: opts.timeoutMs,
    }),
  };
}
