import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ALARM_PATH_HOPS, createAlarmPathMetrics } from '../src/alarm-path-metrics';

describe('yujing_alarm_path_seconds', () => {
  it('records a hop in seconds under its hop label, clock skew as 0', async () => {
    const registry = new Registry();
    const path = createAlarmPathMetrics(registry);
    path.observe('rules_to_alarm', 40);
    path.observe('sensor_to_ingest', -120);
    const text = await registry.metrics();
    expect(text).toContain('yujing_alarm_path_seconds_bucket{le="0.025",hop="rules_to_alarm"} 0');
    expect(text).toContain('yujing_alarm_path_seconds_bucket{le="0.05",hop="rules_to_alarm"} 1');
    expect(text).toContain('yujing_alarm_path_seconds_sum{hop="rules_to_alarm"} 0.04');
    expect(text).toContain('yujing_alarm_path_seconds_bucket{le="0.001",hop="sensor_to_ingest"} 1');
  });

  it('names the hops in path order, sensor first and webhook answer last', () => {
    const hops = Object.keys(ALARM_PATH_HOPS);
    expect(hops[0]).toBe('sensor_to_ingest');
    expect(hops.at(-1)).toBe('attempt_to_answer');
    expect(hops).toHaveLength(9);
  });
});
