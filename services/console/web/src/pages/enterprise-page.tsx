import { useEffect, useState } from 'preact/hooks';
import type { EnterpriseSummary } from '../lib/alarm-types';
import { ApiError, apiGet } from '../lib/api-client';
import type { BoardStore } from '../lib/board-store';
import { regionName } from '../lib/region-names';
import { formatDateTime, formatDuration } from '../lib/shanghai-time';
import { useStore } from '../lib/use-store';
import { INDUSTRY_LABEL, label } from '../lib/zh-labels';

interface Status {
  gateways: { gatewayId: string; online: boolean | null; since: number | null }[];
  points: { code: string; kind: string; lastSeen: number | null; online: boolean }[];
}

/** The enterprises in scope, with links to each one's page. */
export function EnterpriseListPage(props: { store: BoardStore }) {
  const store = useStore(props.store);
  const list = [...store.enterprises.values()].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <div class="card">
      <h2>企业（{list.length}）</h2>
      <table class="plain" data-testid="enterprise-list">
        <thead>
          <tr>
            <th>企业</th>
            <th>地区</th>
            <th>行业</th>
            <th>分级</th>
            <th>网关</th>
            <th>测点</th>
            <th>接入期限</th>
          </tr>
        </thead>
        <tbody>
          {list.map((e) => (
            <tr key={e.id}>
              <td>
                <a href={`#/enterprise/${encodeURIComponent(e.id)}`}>{e.name}</a>
              </td>
              <td>
                {regionName(e.region.city)} {regionName(e.region.county)}
              </td>
              <td>{e.industries.map((i) => label(INDUSTRY_LABEL, i)).join('、')}</td>
              <td>
                {e.classification.code} 类（{e.classification.scheme}）
              </td>
              <td>{e.gateways}</td>
              <td>{e.points}</td>
              <td>{e.connectionRequiredBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One enterprise: basic information, classification, gateways online/offline, point freshness. */
export function EnterprisePage(props: { id: string; store: BoardStore }) {
  const store = useStore(props.store);
  const e: EnterpriseSummary | undefined = store.enterprises.get(props.id);
  const [status, setStatus] = useState<Status | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    apiGet<Status>(`/enterprises/${encodeURIComponent(props.id)}/status`)
      .then(setStatus)
      .catch((err) => setError(err instanceof ApiError ? err.userMessage : String(err)));
  }, [props.id]);
  const now = Date.now();
  const online = status?.points.filter((p) => p.online).length ?? 0;
  return (
    <div class="detail" data-testid="enterprise-page">
      <p>
        <a href="#/enterprises">← 企业列表</a>
      </p>
      <h2>{e?.name ?? props.id}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {e && (
        <section class="card">
          <h3>基本信息</h3>
          <dl class="facts">
            <dt>统一编号</dt>
            <dd>{e.id}</dd>
            <dt>所在地区</dt>
            <dd>
              {regionName(e.region.province)} {regionName(e.region.city)} {regionName(e.region.county)}
            </dd>
            <dt>行业</dt>
            <dd>{e.industries.map((i) => label(INDUSTRY_LABEL, i)).join('、')}</dd>
            <dt>分级分类</dt>
            <dd>
              {e.classification.code} 类（方案 {e.classification.scheme}，风险序位 {e.classification.rank}）
            </dd>
            <dt>接入期限</dt>
            <dd>{e.connectionRequiredBy}</dd>
          </dl>
        </section>
      )}
      {status && (
        <>
          <section class="card">
            <h3>网关在线情况</h3>
            <table class="plain" data-testid="gateway-status">
              <thead>
                <tr>
                  <th>网关</th>
                  <th>状态</th>
                  <th>自</th>
                </tr>
              </thead>
              <tbody>
                {status.gateways.map((g) => (
                  <tr key={g.gatewayId}>
                    <td>{g.gatewayId}</td>
                    <td class={g.online ? 'ok' : 'error'}>{g.online === null ? '从未上报' : g.online ? '在线' : '离线'}</td>
                    <td>{g.since ? formatDateTime(g.since) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card">
            <h3>
              测点数据新鲜度（{online}/{status.points.length} 在 3 个采样周期内有数据）
            </h3>
            <table class="plain" data-testid="point-freshness">
              <thead>
                <tr>
                  <th>测点</th>
                  <th>类型</th>
                  <th>最近读数</th>
                  <th>距今</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {status.points.map((p) => (
                  <tr key={p.code}>
                    <td>{p.code}</td>
                    <td>{p.kind}</td>
                    <td>{p.lastSeen ? formatDateTime(p.lastSeen) : '—'}</td>
                    <td>{p.lastSeen ? formatDuration(now - p.lastSeen) : '—'}</td>
                    <td class={p.online ? 'ok' : 'error'}>{p.online ? '正常' : '无数据'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
