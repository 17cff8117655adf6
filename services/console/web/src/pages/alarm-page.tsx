import { useEffect, useState } from 'preact/hooks';
import { ActionPanel } from '../components/action-panel';
import { type Bucket, LineChart, type LimitLine } from '../components/line-chart';
import type { AlarmEvent, Deadline, Delivery } from '../lib/alarm-types';
import { ApiError, apiGet } from '../lib/api-client';
import type { BoardStore } from '../lib/board-store';
import { formatDateTime } from '../lib/shanghai-time';
import { useStore } from '../lib/use-store';
import {
  DELIVERY_STATUS_LABEL,
  KIND_LABEL,
  LEVEL_LABEL,
  LOOP_LABEL,
  label,
  ROLE_LABEL,
  STATE_LABEL,
  STEP_LABEL,
  TRANSITION_LABEL,
  WEBHOOK_EVENT_LABEL,
} from '../lib/zh-labels';

interface Detail {
  alarm: AlarmEvent;
  timeline: AlarmEvent[];
  deliveries: Delivery[];
  deadlines: Deadline[];
}

interface Readings {
  unit: string;
  step: string;
  buckets: Bucket[];
}

interface PointLimits {
  enterpriseId: string;
  code: string;
  limits?: { l?: number; ll?: number; h?: number; hh?: number };
}

const STEPS: [string, number][] = [
  ['10s', 10_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['10m', 600_000],
  ['1h', 3_600_000],
];
/** At most ~400 points on the chart: the smallest step that keeps the window under that. */
export function chartStep(spanMs: number): string {
  return (STEPS.find(([, ms]) => spanMs / ms <= 400) ?? STEPS[STEPS.length - 1])?.[0] ?? '1m';
}

/** One alarm: readings around it with its limits, its timeline (transitions and webhook receipts), deadlines, actions. */
export function AlarmPage(props: { alarmId: string; store: BoardStore }) {
  const store = useStore(props.store);
  const [detail, setDetail] = useState<Detail | undefined>();
  const [readings, setReadings] = useState<Readings | undefined>();
  const [limits, setLimits] = useState<LimitLine[]>([]);
  const [error, setError] = useState<string | undefined>();
  // Refresh when the board's copy of this alarm changes (a stream transition arrived).
  const live = store.model.get(props.alarmId);
  const liveSeq = live?.seq;

  useEffect(() => {
    apiGet<Detail>(`/alarms/${encodeURIComponent(props.alarmId)}`)
      .then(setDetail)
      .catch((e) => setError(e instanceof ApiError ? e.userMessage : String(e)));
  }, [props.alarmId, liveSeq]);

  const alarm = detail?.alarm;
  useEffect(() => {
    if (!alarm || alarm.point.includes(':')) return;
    const from = alarm.episodeStart - 30 * 60_000;
    const to = Math.max(Date.now(), alarm.episodeStart + 5 * 60_000);
    const step = chartStep(to - from);
    apiGet<Readings>(
      `/points/${encodeURIComponent(`${alarm.enterpriseId}:${alarm.point}`)}/readings?from=${from}&to=${to}&step=${step}`,
    )
      .then(setReadings)
      .catch(() => setReadings({ unit: '', step, buckets: [] }));
    const lines: LimitLine[] = alarm.limit !== null ? [{ label: '报警限值', value: alarm.limit, tone: 'alarm' }] : [];
    apiGet<{ items: PointLimits[] }>('/admin/registry/point')
      .then(({ items }) => {
        const p = items.find((x) => x.enterpriseId === alarm.enterpriseId && x.code === alarm.point);
        const named: [keyof NonNullable<PointLimits['limits']>, string, LimitLine['tone']][] = [
          ['hh', '高高限 HH', 'alarm'],
          ['h', '高限 H', 'warn'],
          ['l', '低限 L', 'warn'],
          ['ll', '低低限 LL', 'alarm'],
        ];
        const fromRegistry = named.flatMap(([k, text, tone]) =>
          p?.limits?.[k] !== undefined ? [{ label: text, value: p.limits[k] as number, tone }] : [],
        );
        setLimits(fromRegistry.length > 0 ? fromRegistry : lines);
      })
      .catch(() => setLimits(lines));
  }, [alarm?.alarmId]);

  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!detail || !alarm) return <p class="muted">加载中…</p>;
  const current = live && live.seq > alarm.seq ? live : alarm;
  const enterprise = store.enterprises.get(alarm.enterpriseId);

  type Item = { at: number; key: string; node: preact.JSX.Element };
  const items: Item[] = [
    ...detail.timeline.map((t) => ({
      at: t.emittedAt,
      key: `t${t.seq}`,
      node: (
        <>
          <b>{label(TRANSITION_LABEL, t.transition)}</b> · {label(STATE_LABEL, t.state)} · {LEVEL_LABEL[t.level]}
          {t.value !== null && ` · 值 ${t.value}`}
          {t.actor && ` · ${label(ROLE_LABEL, t.actor.role)} ${t.actor.name ?? t.actor.id}`}
          {t.comment && <span class="comment">「{t.comment}」</span>}
        </>
      ),
    })),
    ...detail.deliveries.map((d) => ({
      at: d.at,
      key: `d${d.deliveryId}-${d.attempt}`,
      node: (
        <span class="delivery" data-testid="timeline-delivery">
          <b>{label(WEBHOOK_EVENT_LABEL, d.event)}</b> → {d.target}（订阅 {d.subscriptionId}）· 第 {d.attempt} 次 ·{' '}
          {label(DELIVERY_STATUS_LABEL, d.status)}
          {d.httpStatus !== null && ` · HTTP ${d.httpStatus}`} · {Math.round(d.latencyMs)} ms
          {d.error && ` · ${d.error}`}
        </span>
      ),
    })),
  ].sort((a, b) => a.at - b.at);

  return (
    <div class="detail" data-testid="alarm-detail">
      <p>
        <a href="#/board">← 返回实时报警</a>
      </p>
      <h2>
        <span class={`pill level-${current.level}`}>{LEVEL_LABEL[current.level]}</span>{' '}
        <a href={`#/enterprise/${encodeURIComponent(alarm.enterpriseId)}`}>{enterprise?.name ?? alarm.enterpriseId}</a> ·{' '}
        {alarm.point} · {label(KIND_LABEL, alarm.kind)}
      </h2>
      <p>
        状态 <b data-testid="detail-state">{label(STATE_LABEL, current.state)}</b> · 闭环{' '}
        <b data-testid="detail-loop">{label(LOOP_LABEL, current.loop)}</b> · 发生于 {formatDateTime(alarm.episodeStart)} ·
        规则 {alarm.rule}
      </p>
      <div class="detail-grid">
        <section class="card">
          <h3>测点读数（{readings?.step ?? '…'} 降采样，前后 30 分钟）</h3>
          {readings ? (
            <LineChart buckets={readings.buckets} limits={limits} unit={readings.unit} markerAt={alarm.episodeStart} />
          ) : (
            <p class="muted">加载中…</p>
          )}
        </section>
        <section class="card">
          <h3>操作</h3>
          <ActionPanel alarm={current} />
          <h3>闭环期限</h3>
          <table class="plain">
            <thead>
              <tr>
                <th>环节</th>
                <th>期限</th>
                <th>完成</th>
              </tr>
            </thead>
            <tbody>
              {detail.deadlines.map((d) => (
                <tr key={d.step} class={d.overdue ? 'overdue' : ''}>
                  <td>{label(STEP_LABEL, d.step)}</td>
                  <td>{formatDateTime(d.dueAt)}</td>
                  <td>{d.doneAt ? formatDateTime(d.doneAt) : d.overdue ? '已超期' : '未完成'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section class="card">
        <h3>事件时间线（含推送回执）</h3>
        <ol class="timeline" data-testid="timeline">
          {items.map((i) => (
            <li key={i.key}>
              <time>{formatDateTime(i.at)}</time> {i.node}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
