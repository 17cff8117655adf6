import { seededRandom, telemetryMessage } from '@yujing/schemas/test-arbitraries';
import { checkFastParserContract, generatedInputs } from '@yujing/schemas/test-fast-parser-contract';
import { describe, expect, it } from 'vitest';
import { Envelope, fastEnvelope } from '../src/message-envelope';

const CASES = 3000;

describe('fastEnvelope', () => {
  it('takes the fast path for every envelope zod accepts among generated messages', () => {
    const tally = checkFastParserContract(
      Envelope,
      fastEnvelope,
      generatedInputs(11, CASES, telemetryMessage, false),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.fastAccepted).toBe(tally.zodAccepted);
    expect(tally.zodAccepted).toBeGreaterThan(CASES);
  });

  it('accepts nothing zod rejects, over thousands of mutated messages', () => {
    const tally = checkFastParserContract(
      Envelope,
      fastEnvelope,
      generatedInputs(12, CASES, telemetryMessage, true),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.zodRejected).toBeGreaterThan(CASES / 4);
    expect(tally.fastAccepted).toBeGreaterThan(CASES / 10);
  });

  it('copies the readings array as zod does, holes becoming undefined', () => {
    const readings: unknown[] = [];
    readings[1] = { point: 'A', ts: 1, v: 1 }; // index 0 is a hole
    const input = { v: 1, gatewayId: 'gw-01', seq: 1, sentAt: 1, readings };
    const fast = fastEnvelope(input);
    expect(fast?.readings).not.toBe(readings);
    expect(fast).toStrictEqual(Envelope.parse(input));
    expect(0 in (fast?.readings ?? [])).toBe(true);
  });

  it('leaves an enterpriseId key holding undefined to zod', () => {
    const input = { v: 1, gatewayId: 'gw-01', seq: 1, sentAt: 1, readings: [{}], enterpriseId: undefined };
    expect(fastEnvelope(input)).toBeUndefined();
    expect(Envelope.safeParse(input).success).toBe(true);
  });

  it.each([
    ['no readings', { readings: [] }],
    ['an enterpriseId that is not a string', { enterpriseId: 7 }],
    ['a sentAt without offset', { sentAt: '2026-11-28T10:00:00' }],
    ['a gatewayId with a colon', { gatewayId: 'gw:1' }],
  ])('rejects %s, like zod', (_what, over) => {
    const input = { v: 1, gatewayId: 'gw-01', seq: 1, sentAt: 1, readings: [{}], ...over };
    expect(fastEnvelope(input)).toBeUndefined();
    expect(Envelope.safeParse(input).success).toBe(false);
  });
});

describe('a random seed', () => {
  it('gives the same messages twice', () => {
    expect(telemetryMessage(seededRandom(5))).toStrictEqual(telemetryMessage(seededRandom(5)));
  });
});
