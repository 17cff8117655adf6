import { describe, expect, it } from 'vitest';
import { hopCount, hopDelta, hopQuantile, parseHopBuckets } from '../pipeline/hop-metrics';

const scrape = (n10: number, n50: number, n100: number, inf: number) =>
  [
    '# HELP yujing_alarm_path_seconds duration of one hop',
    '# TYPE yujing_alarm_path_seconds histogram',
    `yujing_alarm_path_seconds_bucket{le="0.01",hop="rules_to_alarm",service="rules-worker"} ${n10}`,
    `yujing_alarm_path_seconds_bucket{le="0.05",hop="rules_to_alarm",service="rules-worker"} ${n50}`,
    `yujing_alarm_path_seconds_bucket{le="0.1",hop="rules_to_alarm",service="rules-worker"} ${n100}`,
    `yujing_alarm_path_seconds_bucket{le="+Inf",hop="rules_to_alarm",service="rules-worker"} ${inf}`,
    `yujing_alarm_path_seconds_sum{hop="rules_to_alarm",service="rules-worker"} 1`,
    'yujing_rules_readings_total{service="rules-worker"} 5',
  ].join('\n');

describe('alarm-path hop figures from /metrics', () => {
  it('sums services, takes the phase as the difference of two scrapes, and interpolates quantiles in a bucket', () => {
    const before = parseHopBuckets(scrape(10, 10, 10, 10));
    const after = parseHopBuckets(scrape(10, 60, 110, 110));
    const phase = hopDelta(before, after).get('rules_to_alarm')!;
    expect(hopCount(phase)).toBe(100);
    // 50 of 100 between 10 and 50 ms, 50 between 50 and 100 ms
    expect(hopQuantile(phase, 0.5)).toBeCloseTo(0.05, 6);
    expect(hopQuantile(phase, 0.25)).toBeCloseTo(0.03, 6);
    expect(hopQuantile(phase, 0.99)).toBeCloseTo(0.099, 6);
  });

  it('reports the last finite bound for a quantile in +Inf, and NaN without observations', () => {
    const b = parseHopBuckets(scrape(0, 0, 1, 100)).get('rules_to_alarm')!;
    expect(hopQuantile(b, 0.99)).toBe(0.1);
    expect(hopQuantile(parseHopBuckets(scrape(0, 0, 0, 0)).get('rules_to_alarm')!, 0.5)).toBeNaN();
  });
});
