import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@yujing/logger';
import { waitFor } from '@yujing/testkit';
import { signWebhook } from '@yujing/webhook-signature';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryInbox, type DeliveryRecordLine } from '../src/delivery-inbox';
import { RegulatorServer } from '../src/regulator-server';

describe('RegulatorServer over a real socket', () => {
  const secret = 'whsec_int_0123456789abcdef';
  let dir = '';
  let server: RegulatorServer | undefined;
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('verifies the exact bytes, answers, and records one JSON line per request', async () => {
    dir = await mkdtemp(join(tmpdir(), 'regulator-'));
    const recordFile = join(dir, 'deliveries.jsonl');
    const inbox = new DeliveryInbox({
      subscriptions: [{ id: 'sub-a', url: 'http://127.0.0.1:1/hooks/a', secret }],
    });
    server = new RegulatorServer({
      inbox,
      logger: createLogger({ service: 'test', level: 'silent' }),
      recordFile,
    });
    const [addr] = await server.listen([{ host: '127.0.0.1', port: 0 }]);
    const url = `http://127.0.0.1:${addr!.port}/hooks/a`;
    const body = JSON.stringify({
      event: 'alarm.raised',
      deliveryId: 'd-9',
      sentAt: Date.now(),
      alarm: { nope: true },
    });
    const headers = signWebhook({ secret, body, event: 'alarm.raised', deliveryId: 'd-9' });

    const bad = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'x-yujing-signature': `sha256=${'0'.repeat(64)}` },
    });
    expect(bad.status).toBe(401);
    const invalid = await fetch(url, { method: 'POST', body, headers });
    expect(invalid.status).toBe(400); // signed, but the payload is not a WebhookPayload

    const lines = await waitFor(async () => {
      const text = await readFile(recordFile, 'utf8').catch(() => '');
      const parsed = text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as DeliveryRecordLine);
      return parsed.length >= 2 && parsed;
    });
    expect(lines.map((l) => [l.status, l.reason?.split(':')[0]])).toEqual([
      [401, 'signature'],
      [400, 'payload'],
    ]);
    expect((await fetch(`http://127.0.0.1:${addr!.port}/healthz`)).status).toBe(200);
  });
});
