import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDED_COLUMNS } from '../src/apply-schema';
import { alarmEventRow, alarmTimeline, applySchema, walApplied } from '../src/index';
import { DDL_DIR, type QuestDbFixture, questDbFixture } from './questdb-fixture';

const T0 = Date.parse('2026-11-28T02:00:00.000Z');

describe('alarm_events closed-loop columns (real QuestDB)', () => {
  let f: QuestDbFixture;
  beforeAll(async () => {
    f = await questDbFixture('loopcols');
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  const columns = async () =>
    (
      await f.query.query<{ column: string }>(
        `SELECT "column" FROM table_columns('${f.tables.alarm_events}')`,
      )
    ).map((r) => r.column);

  it('applySchema adds the columns to a table created before them, and is idempotent', async () => {
    for (const c of ADDED_COLUMNS.alarm_events ?? [])
      await f.query.query(`ALTER TABLE ${f.tables.alarm_events} DROP COLUMN ${c.split(' ')[0]}`);
    await waitFor(async () => !(await columns()).includes('attachments'), { message: 'columns dropped' });
    await applySchema(f.query, DDL_DIR, { tablePrefix: f.prefix });
    await applySchema(f.query, DDL_DIR, { tablePrefix: f.prefix });
    await waitFor(
      async () => {
        const have = await columns();
        return ['attachments', 'loop_due_step', 'loop_due_at'].every((c) => have.includes(c));
      },
      { message: 'closed-loop columns back after applySchema' },
    );
  });

  it('stores a feedback step with its attachments and next deadline, and reads them back', async () => {
    const attachments = [
      { name: '整改后照片.jpg', ref: 'docstore://loops/1/after.jpg', mediaType: 'image/jpeg' },
    ];
    const alarmId = `140105TY001:CO-1:co-limits:${T0}`;
    await f.writer.write([
      alarmEventRow(f.tables, {
        alarmId,
        enterpriseId: '140105TY001',
        point: 'CO-1',
        rule: 'co-limits',
        kind: 'threshold',
        level: 3,
        state: 'normal',
        loop: 'fed-back',
        transition: 'feedback',
        value: null,
        limit: null,
        eventTime: T0 + 60_000,
        emittedAt: T0 + 60_000,
        episodeStart: T0,
        actor: { id: 'op-1', role: 'operator' },
        comment: '已更换密封垫',
        attachments,
        loopDue: { step: 'close', dueAt: T0 + 86_400_000 },
        seq: 5,
      }),
    ]);
    await waitFor(() => walApplied(f.query, f.tables.alarm_events), { message: 'WAL applied' });
    const [row] = await alarmTimeline(f.query, f.tables, alarmId);
    expect(row).toMatchObject({ loop: 'fed-back', transition: 'feedback', loopDueStep: 'close' });
    expect(row?.loopDueAt).toBe(T0 + 86_400_000);
    expect(JSON.parse(row?.attachments ?? 'null')).toEqual(attachments);
  });
});
