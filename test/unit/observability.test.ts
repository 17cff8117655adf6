import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetricsRegistry } from '../../packages/service-runtime/src/metrics-registry';

/**
 * The Grafana dashboards and Prometheus alert rules under deploy/ may only name metrics that a
 * service really registers (a renamed metric would leave an empty panel or an alert that never
 * fires), and their PromQL must parse: promtool checks the alert rules, runs their unit tests and
 * parses every dashboard query (as recording rules).
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ALERTS = join(ROOT, 'deploy/prometheus/yujing-alerts.yml');
const ALERT_TESTS = join(ROOT, 'deploy/prometheus/yujing-alerts.test.yml');
const DASHBOARDS = join(ROOT, 'deploy/grafana/dashboards');
/** Series Prometheus itself makes; none are used today. */
const PROMETHEUS_SERIES = new Set<string>(['up']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const SERIES_SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Every series name the services can expose: their own metrics (src/ of services and packages) and the runtime's defaults. */
async function exposedSeries(): Promise<Map<string, string>> {
  const series = new Map<string, string>();
  const add = (name: string, type: string) => {
    for (const suffix of SERIES_SUFFIXES[type] ?? ['']) series.set(name + suffix, type);
  };
  const CREATED = /new (Counter|Gauge|Histogram|Summary)\(\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g;
  for (const area of ['services', 'packages']) {
    for (const pkg of readdirSync(join(ROOT, area))) {
      const src = join(ROOT, area, pkg, 'src');
      if (!statSync(join(ROOT, area, pkg)).isDirectory()) continue;
      let files: string[] = [];
      try {
        files = sourceFiles(src);
      } catch {
        continue; // a package without src/
      }
      for (const f of files)
        for (const m of readFileSync(f, 'utf8').matchAll(CREATED)) add(m[2]!, m[1]!.toLowerCase());
    }
  }
  for (const m of await createMetricsRegistry('observability-test').getMetricsAsJSON())
    add(m.name, String(m.type));
  return series;
}

/** The yujing_* (and Prometheus) series a PromQL expression reads; label values are ignored. */
function seriesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set([...withoutStrings.matchAll(/\b(yujing_[a-z0-9_]+|up)\b(?!\s*\()/g)].map((m) => m[1]!))];
}

interface Panel {
  title?: string;
  type: string;
  targets?: Array<{ expr: string; refId: string }>;
  panels?: Panel[];
}
const dashboards = readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as { uid: string; panels: Panel[] },
  }));
const panelsOf = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
const dashboardExprs = dashboards.flatMap((d) =>
  panelsOf(d.json.panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${d.file}: ${p.title} (${t.refId})`, expr: t.expr })),
  ),
);
const alertRules = (
  parse(readFileSync(ALERTS, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }
).groups.flatMap((g) => g.rules);

function promtool(...args: string[]): string {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(
      'promtool is missing: run `bash deploy/local/ensure-promtool.sh` (Debian package prometheus; `make test` does it)',
    );
  }
  return execFileSync('promtool', args, { encoding: 'utf8', cwd: join(ROOT, 'deploy/prometheus') });
}

describe('Grafana dashboards and Prometheus alerts', () => {
  it('finds the series names in a query, and would report one no service registers', async () => {
    expect(seriesIn('sum by (le) (rate(yujing_x_bucket{table="yujing_no"}[5m])) / up')).toEqual([
      'yujing_x_bucket',
      'up',
    ]);
    const exposed = await exposedSeries();
    expect(exposed.get('yujing_rules_transitions_total')).toBe('counter');
    expect(exposed.get('yujing_store_writer_flush_seconds_bucket')).toBe('histogram');
    expect(exposed.get('yujing_process_cpu_seconds_total')).toBe('counter');
    expect(exposed.has('yujing_no_such_metric_total')).toBe(false);
  });

  it('every metric a dashboard or an alert uses is registered by a service', async () => {
    const exposed = await exposedSeries();
    const unknown = [...dashboardExprs, ...alertRules.map((r) => ({ where: r.alert, expr: r.expr }))].flatMap(
      ({ where, expr }) => {
        const used = seriesIn(expr);
        if (used.length === 0) return [`${where}: reads no yujing metric`];
        return used.filter((s) => !exposed.has(s) && !PROMETHEUS_SERIES.has(s)).map((s) => `${where}: ${s}`);
      },
    );
    expect(unknown).toEqual([]);
  });

  it('the dashboard shows each area of the platform', () => {
    const all = dashboardExprs.map((e) => e.expr).join('\n');
    for (const metric of [
      'yujing_ingest_readings_total', // ingest rate
      'yujing_rules_consumer_lag', // lag per consumer group
      'yujing_store_writer_consumer_lag',
      'yujing_rules_transitions_total', // transitions by level
      'yujing_store_writer_rows_written_total', // rows/s
      'yujing_store_writer_flush_seconds_bucket', // QuestDB latency
      'yujing_dispatcher_delivery_attempts_total', // deliveries by status
      'yujing_dispatcher_delivery_latency_seconds_bucket',
      'yujing_api_open_streams', // API streams
      'yujing_api_request_duration_seconds_bucket', // route latency
    ])
      expect(all, metric).toContain(metric);
    expect(all).toMatch(/sum by \(level\) \(rate\(yujing_rules_transitions_total/);
    const ids = dashboards.flatMap((d) =>
      panelsOf(d.json.panels).map((p) => `${d.file}#${(p as { id?: number }).id}`),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('alerts on lag, dead letters, failing deliveries and the gateways online rate', () => {
    const byMetric = (m: string) => alertRules.filter((r) => r.expr.includes(m)).map((r) => r.alert);
    expect(byMetric('yujing_rules_consumer_lag')).not.toEqual([]);
    expect(byMetric('yujing_rules_deadletters_total')).not.toEqual([]);
    expect(byMetric('yujing_ingest_rejects_total')).not.toEqual([]);
    expect(byMetric('yujing_dispatcher_delivery_attempts_total')).not.toEqual([]);
    expect(byMetric('yujing_rules_gateways')).toEqual([
      'YujingGatewayOnlineRateLow',
      'YujingGatewayOnlineRateDropping',
    ]);
  });

  it('promtool accepts the alert rules and their unit tests pass', () => {
    expect(promtool('check', 'rules', ALERTS)).toMatch(/SUCCESS: \d+ rules found/);
    expect(promtool('test', 'rules', ALERT_TESTS)).toMatch(/SUCCESS/);
    // The compose profile's Prometheus config, rule file reference included.
    expect(promtool('check', 'config', join(ROOT, 'deploy/prometheus/prometheus.yml'))).toMatch(
      /SUCCESS: 1 rule files found/,
    );
  });

  it('promtool parses every dashboard query', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yj-dashboard-rules-'));
    try {
      const file = join(dir, 'dashboard-queries.yml');
      const rules = dashboardExprs.map((e, i) => ({ record: `yujing:dashboard_query:${i}`, expr: e.expr }));
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
      expect(promtool('check', 'rules', file)).toContain(`SUCCESS: ${rules.length} rules found`);
      // And it does reject a broken query, so the check above means something.
      writeFileSync(
        file,
        JSON.stringify({ groups: [{ name: 'x', rules: [{ record: 'x', expr: 'sum(rate(x[5m])' }] }] }),
      );
      expect(() => promtool('check', 'rules', file)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
