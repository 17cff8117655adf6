import { describe, expect, it } from 'vitest';
import { uniqueId, waitFor } from '../src/index';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let n = 0;
    const v = await waitFor(() => (++n >= 3 ? { n } : undefined), { intervalMs: 1 });
    expect(v).toEqual({ n: 3 });
  });

  it('rejects with the message and last error at the deadline', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'kafka to answer' },
      ),
    ).rejects.toThrow(/kafka to answer not met within 30 ms \(last error: still down\)/);
  });
});

describe('uniqueId', () => {
  it('is safe for topics and queue names and unique', () => {
    const a = uniqueId('Rules Worker!');
    expect(a).toMatch(/^rules-worker-[0-9a-f]{8}$/);
    expect(uniqueId('x')).not.toBe(uniqueId('x'));
  });
});
