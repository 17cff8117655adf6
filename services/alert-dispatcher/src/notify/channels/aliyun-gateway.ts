import { randomUUID } from 'node:crypto';
import type { ContactChannel } from '@yujing/schemas';
import type { AddressPolicy } from '../../ssrf-guard';
import { aliyunSignature, percentEncode } from './aliyun-rpc-signature';
import {
  type ChannelAdapter,
  type ChannelOutcome,
  isRetryableCode,
  type ProviderCodePolicy,
} from './channel-adapter';
import { jsonBody, postRequest } from './channel-http';
import { originOf } from './dingtalk-robot';
import { transportOutcome } from './provider-answer';

type SmsChannel = Extract<ContactChannel, { kind: 'sms' }>;
type VoiceChannel = Extract<ContactChannel, { kind: 'voice' }>;

/**
 * SMS and voice through an HTTP gateway with Aliyun's request shape: Dysms `SendSms`
 * (PhoneNumbers, SignName, TemplateCode, TemplateParam JSON, OutId) and Dyvms
 * `SingleCallByTts` (CalledNumber, CalledShowNumber, TtsCode, TtsParam), both form-POSTed,
 * signed with the AccessKey (aliyun-rpc-signature.ts). The answer is JSON with `Code`: "OK", or
 * an error code sorted by ALIYUN_CODES into retry-later (e.g. isv.BUSINESS_LIMIT_CONTROL, the
 * per-number minute/hour/day flow control) and permanent (e.g. isv.MOBILE_NUMBER_ILLEGAL).
 */

export interface AliyunGatewayOptions {
  url: string;
  accessKeyId: string | undefined;
  accessKeySecret: string | undefined;
  /** Template code per event, '*' for the rest. */
  templateCodes: Readonly<Record<string, string>>;
  policy: AddressPolicy;
  now: () => number;
  nonce?: () => string;
}

/**
 * Codes a retry cannot fix (addressing, template or credential errors). Everything else —
 * isv.BUSINESS_LIMIT_CONTROL, Throttling.User, isp.SYSTEM_ERROR, isv.AMOUNT_NOT_ENOUGH (until
 * the account is topped up), unknown codes — retries with back-off, then dead-letters.
 */
export const ALIYUN_CODES: ProviderCodePolicy = {
  permanent: new Set([
    'isv.MOBILE_NUMBER_ILLEGAL',
    'isv.MOBILE_COUNT_OVER_LIMIT',
    'isv.TEMPLATE_MISSING_PARAMETERS',
    'isv.INVALID_PARAMETERS',
    'isv.INVALID_JSON_PARAM',
    'isv.SMS_TEMPLATE_ILLEGAL',
    'isv.SMS_SIGNATURE_ILLEGAL',
    'isv.PARAM_LENGTH_LIMIT',
    'isv.BLACK_KEY_CONTROL_LIMIT',
    'isv.TTS_TEMPLATE_ILLEGAL',
    'isv.DISPLAY_NUMBER_ILLEGAL',
    'InvalidAccessKeyId.NotFound',
    'SignatureDoesNotMatch',
  ]),
};

/** Aliyun's ISO 8601 UTC timestamp without milliseconds. */
const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The full signed form body of one request. */
export function signedForm(secret: string, params: Record<string, string>): string {
  const signature = aliyunSignature(secret, 'POST', params);
  return Object.entries({ ...params, Signature: signature })
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

async function call(
  opts: AliyunGatewayOptions,
  action: Record<string, string>,
  timeoutMs: number,
): Promise<ChannelOutcome> {
  if (!opts.accessKeyId || !opts.accessKeySecret)
    return {
      kind: 'failed',
      retryable: false,
      httpStatus: null,
      latencyMs: 0,
      error: 'gateway not configured (NOTIFY_GATEWAY_ACCESS_KEY_ID/SECRET)',
    };
  const params: Record<string, string> = {
    AccessKeyId: opts.accessKeyId,
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: (opts.nonce ?? randomUUID)(),
    SignatureVersion: '1.0',
    Timestamp: timestamp(opts.now()),
    Version: '2017-05-25',
    ...action,
  };
  const x = await postRequest({
    url: opts.url,
    body: signedForm(opts.accessKeySecret, params),
    contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    timeoutMs,
    policy: opts.policy,
  });
  // Aliyun answers some errors as HTTP 4xx with a JSON Code: judge the code when there is one.
  const answer = x.ok ? jsonBody(x.body) : undefined;
  const code = typeof answer?.Code === 'string' ? answer.Code : undefined;
  if (x.ok && code !== undefined && x.status < 500) {
    if (code === 'OK')
      return {
        kind: 'delivered',
        httpStatus: x.status,
        latencyMs: x.latencyMs,
        detail: String(answer?.BizId ?? answer?.CallId ?? ''),
      };
    return {
      kind: 'failed',
      retryable: isRetryableCode(ALIYUN_CODES, code),
      httpStatus: x.status,
      latencyMs: x.latencyMs,
      error: `${code}: ${String(answer?.Message ?? '').slice(0, 300)}`,
    };
  }
  return (
    transportOutcome(x) ?? {
      kind: 'failed',
      retryable: true,
      httpStatus: x.ok ? x.status : null,
      latencyMs: x.latencyMs,
      error: 'gateway answer without a Code',
    }
  );
}

function templateFor(codes: Readonly<Record<string, string>>, event: string): string | undefined {
  return codes[event] ?? codes['*'];
}

const notConfigured = (what: string): ChannelOutcome => ({
  kind: 'failed',
  retryable: false,
  httpStatus: null,
  latencyMs: 0,
  error: `no ${what} template code for this event`,
});

export function smsAdapter(opts: AliyunGatewayOptions & { signName: string }): ChannelAdapter<SmsChannel> {
  return {
    kind: 'sms',
    target: () => `sms:${originOf(opts.url)}`,
    send(channel, message, timeoutMs) {
      const template = templateFor(opts.templateCodes, message.event);
      if (!template) return Promise.resolve(notConfigured('SMS'));
      return call(
        opts,
        {
          Action: 'SendSms',
          PhoneNumbers: channel.phone,
          SignName: opts.signName,
          TemplateCode: template,
          TemplateParam: JSON.stringify(message.notice.params),
          OutId: message.deliveryId,
        },
        timeoutMs,
      );
    },
  };
}

export function voiceAdapter(
  opts: AliyunGatewayOptions & { showNumber: string | undefined },
): ChannelAdapter<VoiceChannel> {
  return {
    kind: 'voice',
    target: () => `voice:${originOf(opts.url)}`,
    send(channel, message, timeoutMs) {
      const template = templateFor(opts.templateCodes, message.event);
      if (!template) return Promise.resolve(notConfigured('voice TTS'));
      return call(
        opts,
        {
          Action: 'SingleCallByTts',
          CalledNumber: channel.phone,
          ...(opts.showNumber ? { CalledShowNumber: opts.showNumber } : {}),
          TtsCode: template,
          TtsParam: JSON.stringify(message.notice.params),
          OutId: message.deliveryId,
        },
        timeoutMs,
      );
    },
  };
}
