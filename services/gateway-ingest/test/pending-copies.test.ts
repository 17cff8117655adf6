import { DeliveryAbandoned } from '@yujing/telemetry-intake';
import { describe, expect, it } from 'vitest';
import { mqttClientId } from '../src/mqtt-intake';
import { copyKey, PendingCopies } from '../src/pending-copies';

describe('PendingCopies', () => {
  const key = copyKey('140105001', 'gw-01', 7, 1_764_295_200_000);

  it('a copy learns the first copy outcome; none pending → undefined', async () => {
    const p = new PendingCopies();
    expect(await p.outcome(key)).toBeUndefined();
    const settle = p.begin(key);
    const waiting = p.outcome(key);
    settle(true);
    expect(await waiting).toBe(true);
    expect(p.size).toBe(0);
    const again = p.begin(key);
    const second = p.outcome(key);
    again(false);
    expect(await second).toBe(false);
  });

  it('a waiting copy whose own delivery is abandoned rejects with DeliveryAbandoned', async () => {
    const p = new PendingCopies();
    p.begin(key);
    const abort = new AbortController();
    const waiting = p.outcome(key, abort.signal);
    abort.abort('shutdown');
    await expect(waiting).rejects.toBeInstanceOf(DeliveryAbandoned);
  });
});

describe('mqttClientId', () => {
  it('is stable for one password and prefix, and differs with the password', () => {
    const a = mqttClientId('yujing-gateway-ingest-0', 'secret-1', 3);
    expect(a).toBe(mqttClientId('yujing-gateway-ingest-0', 'secret-1', 3));
    expect(a).toMatch(/^yujing-gateway-ingest-0-[A-Za-z0-9_-]{22}-3$/);
    expect(mqttClientId('yujing-gateway-ingest-0', 'secret-2', 3)).not.toBe(a);
    expect(a).not.toContain('secret-1');
  });
});
