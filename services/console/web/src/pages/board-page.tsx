import { useMemo, useState } from 'preact/hooks';
import { ActionPanel } from '../components/action-panel';
import { VirtualList } from '../components/virtual-list';
import type { AlarmEvent, Level } from '../lib/alarm-types';
import {
  type BoardFilter,
  type BoardSort,
  EMPTY_FILTER,
  filterAlarms,
  levelCounts,
  loopDeadline,
  sortAlarms,
} from '../lib/board-model';
import type { BoardStore } from '../lib/board-store';
import { regionName } from '../lib/region-names';
import { formatDateTime, formatDuration } from '../lib/shanghai-time';
import { useNow, useStore } from '../lib/use-store';
import { INDUSTRY_LABEL, KIND_LABEL, LEVEL_LABEL, LOOP_LABEL, label, STATE_LABEL, STEP_LABEL } from '../lib/zh-labels';

const ROW_HEIGHT = 38;

/** The live board: every alarm in the caller's scope, filtered, sorted, counted by level. */
export function BoardPage(props: { store: BoardStore }) {
  const store = useStore(props.store);
  const now = useNow(1000);
  const [filter, setFilter] = useState<BoardFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<BoardSort>('raised-desc');
  const [selected, setSelected] = useState<string | undefined>();
  const version = store.model.version;
  const enterprises = store.enterprises;

  const { rows, counts } = useMemo(() => {
    const all = store.model.all();
    const base = filterAlarms(all, filter, enterprises, { ignoreLevel: true });
    const rows = sortAlarms(filterAlarms(base, filter, enterprises), sort, enterprises);
    return { rows, counts: levelCounts(base) };
    // version changes whenever the model does
  }, [version, filter, sort, enterprises]);

  const regions = useMemo(() => {
    const cities = new Set<string>();
    const counties = new Set<string>();
    for (const e of enterprises.values()) {
      cities.add(e.region.city);
      counties.add(e.region.county);
    }
    return { cities: [...cities].sort(), counties: [...counties].sort() };
  }, [enterprises]);
  const industries = useMemo(
    () => [...new Set([...enterprises.values()].flatMap((e) => e.industries))].sort(),
    [enterprises],
  );
  const chosen = selected ? store.model.get(selected) : undefined;

  const toggleLevel = (l: Level) => {
    const levels = new Set(filter.levels);
    if (levels.has(l)) levels.delete(l);
    else levels.add(l);
    setFilter({ ...filter, levels });
  };

  return (
    <div class="board" data-loaded={store.loaded}>
      <div class="toolbar">
        <div class="counts" data-testid="level-counts">
          {([1, 2, 3, 4] as Level[]).map((l) => (
            <button
              type="button"
              key={l}
              class={`count level-${l} ${filter.levels.has(l) ? 'on' : ''}`}
              data-level={l}
              aria-pressed={filter.levels.has(l)}
              onClick={() => toggleLevel(l)}
            >
              {LEVEL_LABEL[l]} <b data-testid={`count-${l}`}>{counts[l]}</b>
            </button>
          ))}
        </div>
        <label>
          区域
          <select
            data-testid="filter-region"
            value={filter.region}
            onChange={(e) => setFilter({ ...filter, region: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">全部</option>
            <optgroup label="市">
              {regions.cities.map((c) => (
                <option key={c} value={c}>
                  {regionName(c)}
                </option>
              ))}
            </optgroup>
            <optgroup label="县（区）">
              {regions.counties.map((c) => (
                <option key={c} value={c}>
                  {regionName(c)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label>
          行业
          <select
            data-testid="filter-industry"
            value={filter.industry}
            onChange={(e) => setFilter({ ...filter, industry: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">全部</option>
            {industries.map((i) => (
              <option key={i} value={i}>
                {label(INDUSTRY_LABEL, i)}
              </option>
            ))}
          </select>
        </label>
        <label>
          状态
          <select
            data-testid="filter-state"
            value={filter.state}
            onChange={(e) => setFilter({ ...filter, state: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">全部</option>
            {Object.entries(STATE_LABEL)
              .filter(([k]) => k !== 'normal')
              .map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
          </select>
        </label>
        <label>
          排序
          <select
            data-testid="sort"
            value={sort}
            onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as BoardSort)}
          >
            <option value="raised-desc">发生时间（新→旧）</option>
            <option value="raised-asc">发生时间（旧→新）</option>
            <option value="level">级别（高→低）</option>
            <option value="enterprise">企业</option>
            <option value="updated-desc">最近变化</option>
          </select>
        </label>
        <span class="muted" data-testid="row-count">
          共 {rows.length} 条
        </span>
      </div>
      {store.loadError && (
        <p class="error" role="alert">
          {store.loadError}
        </p>
      )}
      <div class="board-body">
        <div class="table">
          <div class="thead">
            <span>企业</span>
            <span>测点</span>
            <span>类型</span>
            <span>级别</span>
            <span>状态</span>
            <span>发生时间</span>
            <span>持续</span>
            <span>闭环环节</span>
            <span>期限</span>
          </div>
          <VirtualList
            testId="alarm-rows"
            items={rows}
            rowHeight={ROW_HEIGHT}
            keyOf={(a) => a.alarmId}
            row={(a) => (
              <AlarmRow
                alarm={a}
                now={now}
                store={store}
                selected={a.alarmId === selected}
                onSelect={() => setSelected(a.alarmId)}
              />
            )}
          />
        </div>
        {chosen && (
          <aside class="side" data-testid="selected-alarm">
            <h3>
              <span class={`pill level-${chosen.level}`}>{LEVEL_LABEL[chosen.level]}</span>{' '}
              {enterprises.get(chosen.enterpriseId)?.name ?? chosen.enterpriseId}
            </h3>
            <p>
              {chosen.point} · {label(KIND_LABEL, chosen.kind)} · 当前值 {chosen.value ?? '—'} / 限值{' '}
              {chosen.limit ?? '—'}
            </p>
            <p>
              状态 <b data-testid="selected-state">{label(STATE_LABEL, chosen.state)}</b> · 闭环{' '}
              <b data-testid="selected-loop">{label(LOOP_LABEL, chosen.loop)}</b>
            </p>
            <p>
              <a href={`#/alarm/${encodeURIComponent(chosen.alarmId)}`} data-testid="open-detail">
                查看详情与时间线 →
              </a>
            </p>
            <ActionPanel alarm={chosen} />
          </aside>
        )}
      </div>
    </div>
  );
}

function AlarmRow(props: { alarm: AlarmEvent; now: number; store: BoardStore; selected: boolean; onSelect(): void }) {
  const a = props.alarm;
  const e = props.store.enterprises.get(a.enterpriseId);
  const due = loopDeadline(a, e, props.store.policies);
  const overdue = due?.dueAt !== undefined && props.now > due.dueAt;
  return (
    <div
      class={`tr level-${a.level} ${props.selected ? 'selected' : ''} state-${a.state}`}
      data-alarm-id={a.alarmId}
      data-state={a.state}
      data-loop={a.loop}
      data-enterprise={a.enterpriseId}
      onClick={props.onSelect}
      role="row"
      tabIndex={0}
      onKeyDown={(ev) => {
        if (ev.key === 'Enter') props.onSelect();
      }}
    >
      <span title={a.enterpriseId}>{e?.name ?? a.enterpriseId}</span>
      <span title={a.point}>{a.point}</span>
      <span>{label(KIND_LABEL, a.kind)}</span>
      <span>
        <span class={`pill level-${a.level}`}>{LEVEL_LABEL[a.level]}</span>
      </span>
      <span class="state" data-testid="row-state">
        {label(STATE_LABEL, a.state)}
      </span>
      <span>{formatDateTime(a.episodeStart)}</span>
      <span>{formatDuration(props.now - a.episodeStart)}</span>
      <span data-testid="row-loop">{due ? `待${label(STEP_LABEL, due.step)}` : label(LOOP_LABEL, a.loop)}</span>
      <span class={overdue ? 'overdue' : ''} data-overdue={overdue}>
        {due?.dueAt !== undefined ? `${overdue ? '已超期 ' : ''}${formatDateTime(due.dueAt)}` : '—'}
      </span>
    </div>
  );
}
