import { describe, expect, it } from 'vitest';
import { type IntakeContext, type IntakeRegistry, intakeMessage } from '../src/index';

const NOW = Date.parse('2026-11-28T02:00:00Z');
const E = '140105001';
const registry: IntakeRegistry = {
  enterprise: (id) => (id === E ? { id } : undefined),
  gateway: (e, g) => (e === E && g === 'gw-01' ? { id: g } : undefined),
  point: (e, code) =>
    e === E && code === 'CO-BF1-003'
      ? { kind: 'steel.co-ppm' }
      : e === E && code === 'FAN-01-RUN'
        ? { kind: 'dust.fan-run' }
        : undefined,
};
const ctx: IntakeContext = { source: 'mqtt', enterpriseId: E, gatewayId: 'gw-01', receivedAt: NOW };

const reading = (over: Record<string, unknown> = {}) => ({
  point: 'CO-BF1-003',
  ts: '2026-11-28T10:00:00+08:00',
  v: 23.5,
  ...over,
});
const message = (over: Record<string, unknown> = {}) => ({
  v: 1,
  gatewayId: 'gw-01',
  seq: 7,
  sentAt: '2026-11-28T10:00:00.120+08:00',
  readings: [reading()],
  ...over,
});
const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('intakeMessage: a valid message', () => {
  it('normalises timestamps to UTC epoch ms, resolves kind and defaults quality', () => {
    const out = intakeMessage(
      bytes(message({ readings: [reading(), { point: 'FAN-01-RUN', ts: NOW - 1000, v: 1, q: 'bad' }] })),
      ctx,
      registry,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.rejections).toEqual([]);
    expect(out.batch).toEqual({
      v: 1,
      enterpriseId: E,
      gatewayId: 'gw-01',
      seq: 7,
      source: 'mqtt',
      sentAt: Date.parse('2026-11-28T02:00:00.120Z'),
      receivedAt: NOW,
      readings: [
        {
          point: 'CO-BF1-003',
          kind: 'steel.co-ppm',
          ts: Date.parse('2026-11-28T02:00:00Z'),
          v: 23.5,
          q: 'good',
        },
        { point: 'FAN-01-RUN', kind: 'dust.fan-run', ts: NOW - 1000, v: 1, q: 'bad' },
      ],
    });
  });

  it('accepts an already-decoded object (adapters) the same way as bytes', () => {
    const out = intakeMessage(message(), ctx, registry);
    expect(out.ok && out.batch?.readings.length).toBe(1);
  });
});

describe('intakeMessage: whole-message rejections', () => {
  const cases: {
    name: string;
    input: Buffer | unknown;
    ctx?: Partial<IntakeContext>;
    reason: string;
    path?: string;
  }[] = [
    { name: 'more bytes than the limit', input: Buffer.alloc(1024 * 1024 + 1, 0x20), reason: 'oversize' },
    {
      name: 'more readings than the limit',
      input: bytes(message({ readings: Array.from({ length: 5001 }, () => reading()) })),
      reason: 'oversize',
      path: 'readings',
    },
    { name: 'invalid JSON', input: Buffer.from('{"v":1,'), reason: 'invalid-json' },
    { name: 'wrong version', input: bytes(message({ v: 2 })), reason: 'schema', path: 'v' },
    { name: 'missing seq', input: bytes(message({ seq: undefined })), reason: 'schema', path: 'seq' },
    { name: 'no readings', input: bytes(message({ readings: [] })), reason: 'schema', path: 'readings' },
    {
      name: 'gateway id with a colon',
      input: bytes(message({ gatewayId: 'a:b' })),
      reason: 'schema',
      path: 'gatewayId',
    },
    {
      name: 'unknown enterprise',
      input: bytes(message()),
      ctx: { enterpriseId: '140105999' },
      reason: 'unknown-enterprise',
    },
    {
      name: 'body gateway differs from the transport gateway',
      input: bytes(message({ gatewayId: 'gw-02' })),
      reason: 'wrong-gateway',
      path: 'gatewayId',
    },
    {
      name: 'body claims another enterprise',
      input: bytes(message({ enterpriseId: '140105002' })),
      reason: 'wrong-enterprise',
      path: 'enterpriseId',
    },
    {
      name: 'unknown gateway',
      input: bytes(message({ gatewayId: 'gw-09' })),
      ctx: { gatewayId: undefined },
      reason: 'unknown-gateway',
      path: 'gatewayId',
    },
  ];
  // issue #14 hole 8: a sentAt outside the reading window used to pass here and fail downstream
  const DAY = 86_400_000;
  cases.push(
    {
      name: 'sentAt older than the reading window',
      input: bytes(message({ sentAt: NOW - 7 * DAY - 1 })),
      reason: 'timestamp-too-old',
      path: 'sentAt',
    },
    {
      name: 'sentAt before the epoch (ISO year 0001)',
      input: bytes(message({ sentAt: '0001-01-01T00:00:00Z' })),
      reason: 'timestamp-too-old',
      path: 'sentAt',
    },
    {
      name: 'sentAt beyond the clock-skew allowance',
      input: bytes(message({ sentAt: NOW + 5 * 60_000 + 1 })),
      reason: 'timestamp-in-future',
      path: 'sentAt',
    },
    {
      name: 'sentAt at the largest safe integer',
      input: bytes(message({ sentAt: Number.MAX_SAFE_INTEGER })),
      reason: 'timestamp-in-future',
      path: 'sentAt',
    },
    {
      name: 'sentAt in year 9999',
      input: bytes(message({ sentAt: '9999-12-31T23:59:59+08:00' })),
      reason: 'timestamp-in-future',
      path: 'sentAt',
    },
  );
  it.each(cases)('$name → $reason', ({ input, ctx: over, reason, path }) => {
    const out = intakeMessage(input, { ...ctx, ...over }, registry);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.rejection.reason).toBe(reason);
    expect(out.rejection.message.length).toBeGreaterThan(0);
    if (path) expect(out.rejection.issues.map((i) => i.path)).toContain(path);
  });
});

describe('intakeMessage: sentAt window', () => {
  it('a sentAt at the exact window edges is accepted', () => {
    for (const sentAt of [NOW - 7 * 86_400_000, NOW + 5 * 60_000]) {
      const out = intakeMessage(bytes(message({ sentAt })), ctx, registry);
      expect(out.ok && out.sentAt).toBe(sentAt);
    }
  });
});

describe('intakeMessage: per-reading rejections keep the valid readings', () => {
  const cases: { name: string; bad: Record<string, unknown> | string; reason: string; path: string }[] = [
    {
      name: 'unknown point',
      bad: reading({ point: 'NOPE-1' }),
      reason: 'unknown-point',
      path: 'readings.1.point',
    },
    { name: 'string value', bad: reading({ v: '23' }), reason: 'schema', path: 'readings.1.v' },
    { name: 'bad quality', bad: reading({ q: 'great' }), reason: 'schema', path: 'readings.1.q' },
    {
      name: 'timestamp without offset',
      bad: reading({ ts: '2026-11-28T10:00:00' }),
      reason: 'schema',
      path: 'readings.1.ts',
    },
    {
      name: 'older than 7 days',
      bad: reading({ ts: NOW - 7 * 86_400_000 - 1 }),
      reason: 'timestamp-too-old',
      path: 'readings.1.ts',
    },
    {
      name: 'more than 5 min ahead',
      bad: reading({ ts: NOW + 5 * 60_000 + 1 }),
      reason: 'timestamp-in-future',
      path: 'readings.1.ts',
    },
  ];
  it.each(cases)('$name → $reason at $path', ({ bad, reason, path }) => {
    const out = intakeMessage(
      bytes(message({ readings: [reading(), bad, reading({ ts: NOW })] })),
      ctx,
      registry,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.batch?.readings.map((r) => r.ts)).toEqual([Date.parse('2026-11-28T02:00:00Z'), NOW]);
    expect(out.rejections).toHaveLength(1);
    expect(out.rejections[0]?.reason).toBe(reason);
    expect(out.rejections[0]?.issues.map((i) => i.path)).toContain(path);
  });

  it('a value of 1e999 (Infinity after JSON.parse) is non-finite', () => {
    const text = JSON.stringify(message({ readings: [reading(), reading({ v: 1 })] })).replace(
      '"v":1}',
      '"v":1e999}',
    );
    const out = intakeMessage(Buffer.from(text), ctx, registry);
    expect(out.ok && out.rejections.map((r) => [r.reason, r.issues[0]?.path])).toEqual([
      ['non-finite', 'readings.1.v'],
    ]);
    expect(out.ok && out.batch?.readings).toHaveLength(1);
  });

  it('readings at the exact window edges are kept', () => {
    const out = intakeMessage(
      bytes(
        message({ readings: [reading({ ts: NOW - 7 * 86_400_000 }), reading({ ts: NOW + 5 * 60_000 })] }),
      ),
      ctx,
      registry,
    );
    expect(out.ok && out.batch?.readings).toHaveLength(2);
  });

  it('every reading rejected → no batch, rejections grouped by reason', () => {
    const out = intakeMessage(
      bytes(message({ readings: [reading({ point: 'X' }), reading({ point: 'Y' }), reading({ v: null })] })),
      ctx,
      registry,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.batch).toBeUndefined();
    expect(out.rejections.map((r) => [r.reason, r.issues.length])).toEqual([
      ['unknown-point', 2],
      ['schema', 1],
    ]);
  });
});
