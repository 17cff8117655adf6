import { useState } from 'preact/hooks';
import type { AlarmEvent } from '../lib/alarm-types';
import { ApiError, apiPost } from '../lib/api-client';
import { ACTION_LABEL, type AlarmActionName, roleMayAct } from '../lib/role-actions';
import { session } from '../lib/session';

/** Shelve durations offered (the API accepts 1 min … 7 days, ISA-18.2 shelving must be time-bound). */
const SHELVE_OPTIONS: { label: string; ms: number }[] = [
  { label: '15 分钟', ms: 15 * 60_000 },
  { label: '1 小时', ms: 3_600_000 },
  { label: '8 小时（一个班次）', ms: 8 * 3_600_000 },
  { label: '24 小时', ms: 86_400_000 },
  { label: '7 天（上限）', ms: 7 * 86_400_000 },
];

const ORDER: AlarmActionName[] = ['ack', 'shelve', 'unshelve', 'verify', 'dispose', 'feedback', 'close'];

/**
 * The actions on one alarm. Each posts to `/api/v1/alarms/:id/<action>`; the board changes when
 * the resulting transition arrives on the stream. A refusal shows the API's problem detail.
 */
export function ActionPanel(props: { alarm: AlarmEvent }) {
  const role = session.claims()?.role ?? '';
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [shelveMs, setShelveMs] = useState(SHELVE_OPTIONS[1]?.ms ?? 3_600_000);
  const [busy, setBusy] = useState<AlarmActionName | undefined>();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();

  async function run(action: AlarmActionName) {
    setBusy(action);
    setOutcome(undefined);
    const body: Record<string, unknown> =
      action === 'shelve'
        ? { reason, durationMs: shelveMs }
        : action === 'unshelve'
          ? reason
            ? { reason }
            : {}
          : comment
            ? { comment }
            : {};
    try {
      const res = await apiPost<{ status: string }>(
        `/alarms/${encodeURIComponent(props.alarm.alarmId)}/${action}`,
        body,
      );
      setOutcome({
        ok: true,
        text:
          res.status === 'pending'
            ? `已提交${ACTION_LABEL[action]}，等待规则引擎处理`
            : `${ACTION_LABEL[action]}成功`,
      });
      setComment('');
    } catch (err) {
      setOutcome({
        ok: false,
        text: err instanceof ApiError ? err.userMessage : `请求失败：${(err as Error).message}`,
      });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div class="actions" data-testid="action-panel">
      <label class="field">
        <span>意见 / 说明（核实、处置、反馈、销号时填写；反馈必填）</span>
        <textarea
          data-testid="action-comment"
          rows={2}
          maxLength={2000}
          value={comment}
          onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <div class="shelve-row">
        <label class="field">
          <span>搁置原因</span>
          <input
            data-testid="shelve-reason"
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          <span>搁置时长（最长 7 天）</span>
          <select
            data-testid="shelve-duration"
            value={String(shelveMs)}
            onChange={(e) => setShelveMs(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {SHELVE_OPTIONS.map((o) => (
              <option key={o.ms} value={String(o.ms)}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="buttons">
        {ORDER.map((a) => {
          const allowed = roleMayAct(role, a);
          return (
            <button
              type="button"
              key={a}
              data-action={a}
              class={a === 'ack' ? 'primary' : ''}
              disabled={!allowed || busy !== undefined}
              title={allowed ? '' : '当前角色无权执行此操作'}
              onClick={() => void run(a)}
            >
              {busy === a ? `${ACTION_LABEL[a]}中…` : ACTION_LABEL[a]}
            </button>
          );
        })}
      </div>
      {outcome && (
        <p class={outcome.ok ? 'ok' : 'error'} role={outcome.ok ? 'status' : 'alert'} data-testid="action-result">
          {outcome.text}
        </p>
      )}
    </div>
  );
}
