import { loadConfig } from '@yujing/config';
import { describe, expect, it } from 'vitest';
import { DispatcherConfig } from '../src/config';

describe('DispatcherConfig', () => {
  it('has working defaults: port 9105, private targets refused', () => {
    const c = loadConfig(DispatcherConfig, {});
    expect(c.OPS_PORT).toBe(9105);
    expect(c.ALLOW_PRIVATE_WEBHOOK_TARGETS).toBe(false);
    expect(c.WEBHOOK_ATTEMPTS).toBeGreaterThan(1);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['127.0.0.0/8, 10.0.0.0/8', ['127.0.0.0/8', '10.0.0.0/8']],
  ])('ALLOW_PRIVATE_WEBHOOK_TARGETS=%s', (raw, expected) => {
    expect(
      loadConfig(DispatcherConfig, { ALLOW_PRIVATE_WEBHOOK_TARGETS: raw }).ALLOW_PRIVATE_WEBHOOK_TARGETS,
    ).toEqual(expected);
  });

  it('names every bad variable', () => {
    expect(() =>
      loadConfig(DispatcherConfig, {
        ALLOW_PRIVATE_WEBHOOK_TARGETS: '10.0.0.0/99',
        WEBHOOK_ATTEMPTS: '0',
        WEBHOOK_TIMEOUT_MS: 'soon',
      }),
    ).toThrow(
      /ALLOW_PRIVATE_WEBHOOK_TARGETS[\s\S]*WEBHOOK_TIMEOUT_MS|WEBHOOK_TIMEOUT_MS[\s\S]*ALLOW_PRIVATE/,
    );
  });

  it('every variable is documented', () => {
    for (const [name, field] of Object.entries(DispatcherConfig.shape)) {
      expect((field as { description?: string }).description, name).toBeTruthy();
    }
  });
});
