import { loadConfig } from '@yujing/config';
import { describe, expect, it } from 'vitest';
import { DispatcherConfig, webhookRequiresHttps } from '../src/config';
import { createAddressPolicy } from '../src/ssrf-guard';
import { sendWebhook } from '../src/webhook-sender';

/** Issue #14 hole 8: outside development a webhook goes over https only (signed payloads, secrets in transit). */
const attempt = (url: string, requireHttps: boolean) =>
  sendWebhook({
    url,
    body: '{}',
    headers: {},
    timeoutMs: 1000,
    policy: createAddressPolicy(false),
    requireHttps,
  });

describe('plain-http webhook URLs', () => {
  it('are refused before any connection when https is required', async () => {
    const outcome = await attempt('http://203.0.113.10/hook', true);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      error: 'plain http webhook URL refused outside development (NODE_ENV=production): use https',
    });
  });

  it('still pass through the SSRF guard when http is allowed (development)', async () => {
    const outcome = await attempt('http://127.0.0.1:9/hook', false);
    expect(outcome).toMatchObject({ kind: 'rejected', error: expect.stringContaining('loopback') });
  });

  it('are required to be https unless NODE_ENV is development or test (unset = production)', () => {
    expect(webhookRequiresHttps(loadConfig(DispatcherConfig, {}))).toBe(true);
    expect(webhookRequiresHttps(loadConfig(DispatcherConfig, { NODE_ENV: 'production' }))).toBe(true);
    expect(webhookRequiresHttps(loadConfig(DispatcherConfig, { NODE_ENV: 'development' }))).toBe(false);
    expect(webhookRequiresHttps(loadConfig(DispatcherConfig, { NODE_ENV: 'test' }))).toBe(false);
  });
});
