import { inspect } from 'node:util';
import { YujingError } from '@yujing/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  boolVar,
  describeConfig,
  durationMs,
  listVar,
  loadConfig,
  parseDurationMs,
  portVar,
  secretVar,
} from '../src/index';

const schema = z.object({
  PORT: portVar().default(8080).describe('HTTP port'),
  FLUSH_INTERVAL_MS: durationMs().default(500).describe('how often to flush'),
  KAFKA_BROKERS: listVar().describe('Kafka bootstrap servers'),
  DEBUG: boolVar().default(false),
  TOKEN_SECRET: secretVar(8).describe('JWT signing secret'),
});

describe('loadConfig', () => {
  it('parses, applies defaults, treats empty strings as unset and freezes', () => {
    const cfg = loadConfig(schema, {
      KAFKA_BROKERS: 'a:1, b:2',
      FLUSH_INTERVAL_MS: '2s',
      PORT: '',
      TOKEN_SECRET: 'abcdefgh',
    });
    expect(cfg.PORT).toBe(8080);
    expect(cfg.FLUSH_INTERVAL_MS).toBe(2000);
    expect(cfg.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(cfg.DEBUG).toBe(false);
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.KAFKA_BROKERS)).toBe(true);
    expect(cfg.TOKEN_SECRET.reveal()).toBe('abcdefgh');
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', FLUSH_INTERVAL_MS: 'soon', TOKEN_SECRET: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YujingError);
    const msg = (err as Error).message;
    for (const v of ['PORT', 'FLUSH_INTERVAL_MS', 'KAFKA_BROKERS', 'TOKEN_SECRET'])
      expect(msg).toContain(`${v}:`);
    expect((err as YujingError).code).toBe('YJ_ERR_CONFIG_INVALID');
  });

  it('never prints a secret', () => {
    const cfg = loadConfig(schema, { KAFKA_BROKERS: 'a:1', TOKEN_SECRET: 'supersecretvalue' });
    expect(String(cfg.TOKEN_SECRET)).toBe('[redacted]');
    expect(JSON.stringify(cfg)).not.toContain('supersecretvalue');
    expect(inspect(cfg)).not.toContain('supersecretvalue');
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['250', 250],
    ['250ms', 250],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120000],
    ['1h', 3600000],
    ['7d', 604800000],
    ['soon', undefined],
    ['-1s', undefined],
  ])('%s → %s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
});

describe('describeConfig', () => {
  it('lists variables with descriptions and defaults', () => {
    const rows = describeConfig(schema);
    expect(rows.find((r) => r.name === 'PORT')).toEqual({
      name: 'PORT',
      description: 'HTTP port',
      required: false,
      default: '8080',
    });
    expect(rows.find((r) => r.name === 'KAFKA_BROKERS')?.required).toBe(true);
  });
});
