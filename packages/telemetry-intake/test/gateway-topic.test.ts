import { describe, expect, it } from 'vitest';
import { deadLetterOf, gatewayTopic, parseGatewayTopic, rejection, statusEvent } from '../src/index';

describe('parseGatewayTopic', () => {
  it.each([
    [
      'yj/v1/140105001/gw-01/telemetry',
      { enterpriseId: '140105001', gatewayId: 'gw-01', channel: 'telemetry' },
    ],
    ['yj/v1/140105001/gw-01/status', { enterpriseId: '140105001', gatewayId: 'gw-01', channel: 'status' }],
    ['yj/v2/140105001/gw-01/telemetry', undefined],
    ['yj/v1/140105001/gw-01/other', undefined],
    ['yj/v1/140105001/telemetry', undefined],
    ['yj/v1//gw-01/telemetry', undefined],
  ])('%s', (topic, expected) => {
    expect(parseGatewayTopic(topic)).toEqual(expected);
  });
  it('round-trips gatewayTopic', () => {
    expect(parseGatewayTopic(gatewayTopic('140105001', 'gw.7', 'status'))?.gatewayId).toBe('gw.7');
  });
});

describe('statusEvent', () => {
  it.each([
    ['online', 'online', 'status-message'],
    ['offline', 'offline', 'last-will'],
    ['{"status":"online","at":1764295200000}', 'online', 'status-message'],
    ['"offline"', 'offline', 'last-will'],
  ])('%s → %s (%s)', (payload, type, reason) => {
    expect(statusEvent('e', 'g', Buffer.from(payload), 5)).toEqual({
      enterpriseId: 'e',
      gatewayId: 'g',
      type,
      reason,
      at: 5,
    });
  });
  it.each(['maybe', '{"status":1}', '{'])('%s is not a status', (payload) => {
    expect(statusEvent('e', 'g', Buffer.from(payload), 5)).toBeUndefined();
  });
});

describe('deadLetterOf', () => {
  it('keeps small raw bytes whole and truncates large ones with context', () => {
    const r = rejection('oversize', 'too big');
    expect(deadLetterOf(r, 'mqtt', Buffer.from('abc'), 1, { topic: 't', none: undefined })).toMatchObject({
      raw: Buffer.from('abc'),
      context: { topic: 't' },
    });
    const big = deadLetterOf(r, 'mqtt', Buffer.alloc(300 * 1024), 1);
    expect(big.raw.length).toBe(256 * 1024);
    expect(big.context).toEqual({ truncated: 'true', bytes: String(300 * 1024) });
  });
});
