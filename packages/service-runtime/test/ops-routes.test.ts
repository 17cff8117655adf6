import { createLogger } from '@yujing/logger';
import Fastify from 'fastify';
import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, registerOpsRoutes, runShutdown } from '../src/index';

describe('ops routes', () => {
  it('answers healthz, readyz by checks and metrics in Prometheus format', async () => {
    const registry = createMetricsRegistry('svc-test');
    const c = new Counter({ name: 'yujing_test_total', help: 'test', registers: [registry] });
    c.inc(3);
    let kafkaReady = false;
    const app = Fastify();
    registerOpsRoutes(app, { registry, readiness: { kafka: () => kafkaReady, registry: async () => true } });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks).toEqual({ kafka: false, registry: true });
    kafkaReady = true;
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('yujing_test_total{service="svc-test"} 3');
    await app.close();
  });

  it('answers 503 on readyz while shutting down and when a check throws', async () => {
    const registry = createMetricsRegistry('svc-test2');
    const app = Fastify();
    let down = false;
    registerOpsRoutes(app, {
      registry,
      readiness: {
        boom: () => {
          throw new Error('x');
        },
      },
      isShuttingDown: () => down,
    });
    expect((await app.inject('/readyz')).json().checks.boom).toBe(false);
    down = true;
    expect((await app.inject('/readyz')).json().shuttingDown).toBe(true);
    await app.close();
  });
});

describe('runShutdown', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  it('runs every step in order even when one fails, and reports failure', async () => {
    const order: string[] = [];
    const code = await runShutdown({
      logger,
      timeoutMs: 1000,
      exit: false,
      steps: [
        { name: 'a', run: () => void order.push('a') },
        {
          name: 'b',
          run: () => {
            order.push('b');
            throw new Error('b failed');
          },
        },
        { name: 'c', run: async () => void order.push('c') },
      ],
    });
    expect(order).toEqual(['a', 'b', 'c']);
    expect(code).toBe(1);
  });

  it('returns 1 when the deadline passes', async () => {
    const code = await runShutdown({
      logger,
      timeoutMs: 20,
      exit: false,
      steps: [{ name: 'hang', run: () => new Promise(() => {}) }],
    });
    expect(code).toBe(1);
  });
});
