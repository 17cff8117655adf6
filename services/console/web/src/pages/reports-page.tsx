import { useEffect, useState } from 'preact/hooks';
import { RateBars } from '../components/bar-chart';
import { ApiError, apiGet } from '../lib/api-client';
import { toCsv } from '../lib/csv-export';
import { regionName } from '../lib/region-names';
import { formatDateTime, formatDuration } from '../lib/shanghai-time';

interface ConnectivityRow {
  level: 'province' | 'city' | 'county';
  code: string;
  enterprises: number;
  required: number;
  connected: number;
  accessRate: number | null;
  gateways: number;
  onlineRate: number | null;
}

interface KpiBlock {
  raised: number;
  per10Min: number;
  peak10Min: number;
  floodWindows: unknown[];
  chattering: unknown[];
  stale: unknown[];
  ack: { count: number; unacked: number; meanMs: number | null; p50Ms: number | null; p90Ms: number | null };
  overdue: Record<string, number>;
}

const PERIODS: { label: string; ms: number }[] = [
  { label: '最近 24 小时', ms: 86_400_000 },
  { label: '最近 7 天', ms: 7 * 86_400_000 },
  { label: '最近 30 天', ms: 30 * 86_400_000 },
];
const LEVEL_ZH = { province: '省', city: '市', county: '县（区）' } as const;
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const ms = (v: number | null) => (v === null ? '—' : formatDuration(v));

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** 接入率 / 在线率 by province → city → county, and the alarm KPIs (ISA-18.2), with CSV download. */
export function ReportsPage() {
  const [period, setPeriod] = useState(PERIODS[0]?.ms ?? 86_400_000);
  const [rows, setRows] = useState<ConnectivityRow[] | undefined>();
  const [kpis, setKpis] = useState<{ total: KpiBlock; groups: { level: string; code: string; kpis: KpiBlock }[] }>();
  const [range, setRange] = useState<{ from: number; to: number }>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const to = Date.now();
    const from = to - period;
    setError(undefined);
    Promise.all([
      apiGet<{ from: number; to: number; rows: ConnectivityRow[] }>(`/reports/connectivity?from=${from}&to=${to}`),
      apiGet<{ total: KpiBlock; groups: { level: string; code: string; kpis: KpiBlock }[] }>(
        `/reports/alarm-kpis?from=${from}&to=${to}`,
      ),
    ])
      .then(([c, k]) => {
        setRows(c.rows);
        setRange({ from: c.from, to: c.to });
        setKpis(k);
      })
      .catch((e) => setError(e instanceof ApiError ? e.userMessage : String(e)));
  }, [period]);

  const hierarchical = [...(rows ?? [])].sort((a, b) => {
    const key = (r: ConnectivityRow) =>
      r.level === 'province' ? r.code.slice(0, 2) : r.level === 'city' ? `${r.code.slice(0, 4)}` : `${r.code.slice(0, 4)}~${r.code}`;
    return key(a).localeCompare(key(b));
  });
  const csv = () =>
    toCsv(
      ['层级', '区划代码', '区划名称', '企业数', '应接入', '已接入', '接入率', '网关数', '在线率'],
      hierarchical.map((r) => [
        LEVEL_ZH[r.level],
        r.code,
        regionName(r.code),
        r.enterprises,
        r.required,
        r.connected,
        r.accessRate === null ? null : (r.accessRate * 100).toFixed(2),
        r.gateways,
        r.onlineRate === null ? null : (r.onlineRate * 100).toFixed(2),
      ]),
    );

  return (
    <div class="reports" data-testid="reports-page">
      <div class="toolbar">
        <label>
          统计周期
          <select value={String(period)} onChange={(e) => setPeriod(Number((e.currentTarget as HTMLSelectElement).value))}>
            {PERIODS.map((p) => (
              <option key={p.ms} value={String(p.ms)}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {range && (
          <span class="muted">
            {formatDateTime(range.from)} — {formatDateTime(range.to)}（北京时间）
          </span>
        )}
        <button
          type="button"
          data-testid="csv-download"
          disabled={!rows}
          onClick={() => download(`接入率在线率-${new Date().toISOString().slice(0, 10)}.csv`, csv())}
        >
          下载 CSV
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <section class="card">
          <h3>接入率 / 在线率（省 → 市 → 县）</h3>
          <table class="plain" data-testid="connectivity-table">
            <thead>
              <tr>
                <th>区划</th>
                <th>层级</th>
                <th>企业数</th>
                <th>应接入</th>
                <th>已接入</th>
                <th>接入率</th>
                <th>网关数</th>
                <th>在线率</th>
              </tr>
            </thead>
            <tbody>
              {hierarchical.map((r) => (
                <tr key={`${r.level}${r.code}`} class={`lvl-${r.level}`}>
                  <td>{regionName(r.code)}</td>
                  <td>{LEVEL_ZH[r.level]}</td>
                  <td>{r.enterprises}</td>
                  <td>{r.required}</td>
                  <td>{r.connected}</td>
                  <td>{pct(r.accessRate)}</td>
                  <td>{r.gateways}</td>
                  <td>{pct(r.onlineRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <RateBars
            aLabel="接入率"
            bLabel="在线率"
            rows={rows
              .filter((r) => r.level === 'city')
              .map((r) => ({ label: regionName(r.code), a: r.accessRate, b: r.onlineRate }))}
          />
        </section>
      )}
      {kpis && (
        <section class="card">
          <h3>报警指标（ISA-18.2）</h3>
          <table class="plain" data-testid="kpi-table">
            <thead>
              <tr>
                <th>范围</th>
                <th>报警数</th>
                <th>每 10 分钟</th>
                <th>10 分钟峰值</th>
                <th>报警泛滥窗口</th>
                <th>抖动报警</th>
                <th>长期报警</th>
                <th>已确认 / 未确认</th>
                <th>确认用时 中位 / P90</th>
                <th>超期（核实/处置/销号）</th>
              </tr>
            </thead>
            <tbody>
              {[{ level: 'total', code: '合计', kpis: kpis.total }, ...kpis.groups.filter((g) => g.level !== 'enterprise')].map(
                (g) => (
                  <tr key={`${g.level}${g.code}`}>
                    <td>{g.level === 'total' ? '合计' : regionName(g.code)}</td>
                    <td>{g.kpis.raised}</td>
                    <td>{g.kpis.per10Min.toFixed(2)}</td>
                    <td>{g.kpis.peak10Min}</td>
                    <td>{g.kpis.floodWindows.length}</td>
                    <td>{g.kpis.chattering.length}</td>
                    <td>{g.kpis.stale.length}</td>
                    <td>
                      {g.kpis.ack.count} / {g.kpis.ack.unacked}
                    </td>
                    <td>
                      {ms(g.kpis.ack.p50Ms)} / {ms(g.kpis.ack.p90Ms)}
                    </td>
                    <td>
                      {g.kpis.overdue.verify ?? 0} / {g.kpis.overdue.dispose ?? 0} / {g.kpis.overdue.close ?? 0}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
