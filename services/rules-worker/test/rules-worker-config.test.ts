import { loadConfig } from '@yujing/config';
import { registeredErrors } from '@yujing/errors';
import { ALARM_COMMAND_ERRORS } from '@yujing/rules-core';
import { describe, expect, it } from 'vitest';
import { RulesWorkerConfig } from '../src/config';
import '../src/rules-worker-errors';

describe('rules-worker config', () => {
  it('applies documented defaults and parses durations', () => {
    const c = loadConfig(RulesWorkerConfig, { KAFKA_BROKERS: 'a:9092,b:9092', MAX_SHELVE_MS: '2h' });
    expect([c.KAFKA_BROKERS, c.OPS_PORT, c.TICK_INTERVAL_MS, c.MAX_SHELVE_MS, c.GROUP_ID]).toEqual([
      ['a:9092', 'b:9092'],
      9103,
      1000,
      7_200_000,
      'yj-rules-worker',
    ]);
  });
  it('fetches with a small wait by default (alarm latency budget) and takes overrides', () => {
    const d = loadConfig(RulesWorkerConfig, { KAFKA_BROKERS: 'a:9092' });
    expect([d.FETCH_MIN_BYTES, d.FETCH_MAX_WAIT_MS, d.FETCH_MAX_BYTES_PER_PARTITION]).toEqual([
      262_144, 25, 1_048_576,
    ]);
    const c = loadConfig(RulesWorkerConfig, {
      KAFKA_BROKERS: 'a:9092',
      FETCH_MIN_BYTES: '1',
      FETCH_MAX_WAIT_MS: '100ms',
    });
    expect([c.FETCH_MIN_BYTES, c.FETCH_MAX_WAIT_MS]).toEqual([1, 100]);
    expect(() => loadConfig(RulesWorkerConfig, { KAFKA_BROKERS: 'a:9092', FETCH_MIN_BYTES: '0' })).toThrow(
      /FETCH_MIN_BYTES/,
    );
  });
  it('lists every bad variable', () => {
    expect(() => loadConfig(RulesWorkerConfig, { TICK_INTERVAL_MS: 'soon', CHATTER_COUNT: '9' })).toThrow(
      /KAFKA_BROKERS[\s\S]*TICK_INTERVAL_MS[\s\S]*CHATTER_COUNT|KAFKA_BROKERS[\s\S]*CHATTER_COUNT[\s\S]*TICK_INTERVAL_MS/,
    );
  });
  it('registers the alarm command refusal codes the API maps to HTTP', () => {
    const codes = registeredErrors().filter((e) => e.area === 'alarm');
    expect(codes.map((e) => [e.code, e.statusCode])).toEqual(
      Object.entries(ALARM_COMMAND_ERRORS)
        .map(([code, d]) => [code, d.statusCode])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});
