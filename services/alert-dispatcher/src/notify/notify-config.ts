import { durationMs, Secret, secretVar } from '@yujing/config';
import { z } from 'zod';

/** `event=code` pairs, comma separated, `*` for every other event (provider template codes). */
const templateCodes = () =>
  z
    .string()
    .default('')
    .transform((raw, ctx): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const pair of raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [event, code] = pair.split('=').map((s) => s.trim());
        if (!event || !code) {
          ctx.addIssue({ code: 'custom', message: `expected event=TEMPLATE_CODE, got "${pair}"` });
          return z.NEVER;
        }
        out[event] = code;
      }
      return out;
    });

/**
 * Person notification channels of the alert dispatcher (docs/notifications.md), merged into
 * DispatcherConfig. Robot URLs and e-mail addresses are per person in the registry; the SMS,
 * voice and SMTP gateways are per deployment, here. A channel whose gateway is not configured
 * dead-letters its deliveries with a reason instead of pretending to send.
 */
export const NotifyConfig = z.object({
  NOTIFY_CONSOLE_BASE_URL: z
    .url()
    .default('http://127.0.0.1:8090')
    .describe('console origin for the alarm link in messages (…/alarms/<alarmId>)'),
  NOTIFY_ACK_BASE_URL: z
    .url()
    .default('http://127.0.0.1:8080')
    .describe('operator-api origin the one-time acknowledge link points at (…/ack-links?token=…)'),
  NOTIFY_ACK_LINK_SECRET: secretVar(32)
    .optional()
    .describe(
      'HMAC key of acknowledge links, the same as operator-api ACK_LINK_SECRET; absent = no link (secret)',
    ),
  NOTIFY_ACK_LINK_TTL_MS: durationMs()
    .default(86_400_000)
    .describe('how long an acknowledge link stays valid'),
  NOTIFY_SMS_GATEWAY_URL: z
    .url()
    .default('https://dysmsapi.aliyuncs.com/')
    .describe('SMS gateway (Aliyun Dysms SendSms request shape)'),
  NOTIFY_VOICE_GATEWAY_URL: z
    .url()
    .default('https://dyvmsapi.aliyuncs.com/')
    .describe('voice gateway (Aliyun Dyvms SingleCallByTts request shape)'),
  NOTIFY_GATEWAY_ACCESS_KEY_ID: z.string().min(1).optional().describe('AccessKeyId of the SMS/voice gateway'),
  NOTIFY_GATEWAY_ACCESS_KEY_SECRET: secretVar(8)
    .optional()
    .describe('AccessKeySecret signing SMS/voice requests (secret); absent = SMS and voice disabled'),
  NOTIFY_SMS_SIGN_NAME: z.string().min(1).default('预警').describe('SMS signature name (短信签名)'),
  NOTIFY_SMS_TEMPLATE_CODES: templateCodes().describe(
    'SMS template code per event, e.g. "alarm.raised=SMS_1,*=SMS_2"',
  ),
  NOTIFY_VOICE_TTS_CODES: templateCodes().describe('voice TTS template code per event, e.g. "*=TTS_1"'),
  NOTIFY_VOICE_SHOW_NUMBER: z.string().min(1).optional().describe('caller number shown for voice calls'),
  NOTIFY_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected smtp://… or smtps://…')
    .transform((v) => new Secret(v))
    .optional()
    .describe('SMTP server, e.g. smtps://user:pass@smtp.example.cn:465; absent = e-mail disabled (secret)'),
  NOTIFY_SMTP_FROM: z.string().min(3).default('预警 <alarm@yujing.local>').describe('From of alarm e-mails'),
});
export type NotifyConfig = z.output<typeof NotifyConfig>;
