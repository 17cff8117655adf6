import type { AddressPolicy } from '../../ssrf-guard';
import { type ChannelOutcome, isRetryableCode, type ProviderCodePolicy } from './channel-adapter';
import { jsonBody, postRequest } from './channel-http';
import { transportOutcome } from './provider-answer';

/**
 * One POST of a JSON message to a group-robot webhook (DingTalk, WeCom), whose answer is HTTP 200
 * with `{"errcode":0,"errmsg":"ok"}` on success; any other errcode is a failure, retryable unless
 * the provider's code policy names it permanent.
 */
export async function postRobotMessage(req: {
  provider: string;
  codes: ProviderCodePolicy;
  url: string;
  body: string;
  timeoutMs: number;
  policy: AddressPolicy;
  requireHttps: boolean;
}): Promise<ChannelOutcome> {
  const x = await postRequest({
    url: req.url,
    body: req.body,
    contentType: 'application/json; charset=utf-8',
    timeoutMs: req.timeoutMs,
    policy: req.policy,
    requireHttps: req.requireHttps,
  });
  const failed = transportOutcome(x);
  if (failed || !x.ok)
    return failed ?? { kind: 'failed', retryable: true, httpStatus: null, latencyMs: 0, error: '?' };
  const answer = jsonBody(x.body);
  const code = String(answer?.errcode ?? 'no-errcode');
  if (code === '0') return { kind: 'delivered', httpStatus: x.status, latencyMs: x.latencyMs };
  return {
    kind: 'failed',
    retryable: isRetryableCode(req.codes, code),
    httpStatus: x.status,
    latencyMs: x.latencyMs,
    error: `${req.provider} errcode ${code}: ${String(answer?.errmsg ?? x.body).slice(0, 300)}`,
  };
}
