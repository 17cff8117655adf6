import { describe, expect, it } from 'vitest';
import { renderDdl } from '../src/apply-schema';
import { classifyWriteError } from '../src/ilp-writer';
import { onlineMs } from '../src/online-ratio';
import { parseQuestDbTimestamp } from '../src/query-client';
import { rowLimit, sampleStepMs, timeRange } from '../src/sql-arguments';

describe('onlineMs', () => {
  it.each([
    { name: 'online all along', initial: true, changes: [], expected: 100 },
    { name: 'never seen counts as offline', initial: undefined, changes: [], expected: 0 },
    { name: 'goes offline at 30', initial: true, changes: [{ tsMs: 30, online: false }], expected: 30 },
    {
      name: 'comes online at 40 (unsorted input)',
      initial: false,
      changes: [
        { tsMs: 90, online: false },
        { tsMs: 40, online: true },
      ],
      expected: 50,
    },
    {
      name: 'changes outside the period are ignored',
      initial: true,
      changes: [{ tsMs: 200, online: false }],
      expected: 100,
    },
  ])('$name', ({ initial, changes, expected }) => {
    expect(onlineMs(initial, changes, 0, 100)).toBe(expected);
  });
});

describe('SQL arguments', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('step %s is %d ms', (step, ms) => expect(sampleStepMs(step)).toBe(ms));
  it.each(['0m', '1y', '1m;', '', ' 1m', '1 m'])('step "%s" is refused', (step) => {
    expect(() => sampleStepMs(step)).toThrow(/invalid step/);
  });
  it('refuses an empty or inverted range and bad limits', () => {
    expect(() => timeRange(10, 10)).toThrow();
    expect(() => timeRange(Number.NaN, 10)).toThrow();
    expect(timeRange(0, 1000)).toEqual({ from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T00:00:01.000Z' });
    expect(() => rowLimit(0)).toThrow();
    expect(rowLimit(50_000)).toBe(10_000);
  });
});

describe('parseQuestDbTimestamp', () => {
  it('reads QuestDB UTC text with microseconds as epoch ms', () => {
    expect(parseQuestDbTimestamp('2026-11-28 02:00:00.123456')).toBe(Date.parse('2026-11-28T02:00:00.123Z'));
    expect(parseQuestDbTimestamp('2026-11-28 02:00:00')).toBe(Date.parse('2026-11-28T02:00:00.000Z'));
  });
});

describe('classifyWriteError', () => {
  it.each([
    ['HTTP request failed, statusCode=400, error=cast error', 'YJ_ERR_QUESTDB_ROWS_REJECTED'],
    ['HTTP request failed, statusCode=503, error=busy', 'YJ_ERR_QUESTDB_UNAVAILABLE'],
    ['connect ECONNREFUSED 127.0.0.1:9000', 'YJ_ERR_QUESTDB_UNAVAILABLE'],
    ['HTTP request timeout, no response from server in time', 'YJ_ERR_QUESTDB_UNAVAILABLE'],
  ])('%s → %s', (message, code) => {
    expect(classifyWriteError(new Error(message)).code).toBe(code);
  });
});

describe('renderDdl', () => {
  const template =
    '-- comment\nCREATE TABLE IF NOT EXISTS {{prefix}}readings (ts TIMESTAMP) -- trailing\nTTL {{ttl}} WAL;\n';
  it('fills prefix and TTL and strips comments', () => {
    expect(renderDdl(template, 't_1_', '90 DAYS')).toBe(
      'CREATE TABLE IF NOT EXISTS t_1_readings (ts TIMESTAMP)\nTTL 90 DAYS WAL',
    );
  });
  it('refuses a TTL or prefix that is not plain', () => {
    expect(() => renderDdl(template, '', '90 DAYS; DROP')).toThrow(/invalid TTL/);
    expect(() => renderDdl(template, 'x;', '90 DAYS')).toThrow(/invalid QuestDB table prefix/);
  });
});
