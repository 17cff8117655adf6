import type { DeliveryRecordLine } from '@yujing/regulator-simulator';
import type { AlarmTransitionEvent, RegistryDocument } from '@yujing/schemas';
import { accountInjections, type Injection } from '../../e2e/support/alarm-accounting';

/** What one fault-matrix row measured, once its drain is over. */
export interface FaultRowResult {
  row: string;
  /** Readings whose MQTT message the broker acknowledged during the row. */
  readingsAcked: number;
  /** Readings of the row's time window in QuestDB. */
  readingsStored: number;
  readingsLost: number;
  injections: number;
  /** Injections with a raise on yj.alarms.v1. */
  raised: number;
  /** Extra alarm ids for one injection, and raises matching no injection. */
  duplicateAlarms: number;
  /** Raised alarms without their return to normal (rtn), or with a gap in their seq numbers. */
  missingTransitions: number;
  /** alarm.raised deliveries owed to subscriptions in scope / received at least once. */
  deliveriesOwed: number;
  delivered: number;
  /** Repeated deliveries the receiver recognised by delivery id (at-least-once, not an error). */
  redeliveries: number;
  /** From the kill until readings are stored and alarms delivered again (ms); null = never. */
  recoverMs: number | null;
  note: string;
}

/** The row's alarms and deliveries, checked against its injections (pure; no I/O). */
export function accountAlarms(
  injections: readonly Injection[],
  alarms: readonly AlarmTransitionEvent[],
  deliveries: readonly DeliveryRecordLine[],
  document: Pick<RegistryDocument, 'enterprises' | 'policies' | 'subscriptions'>,
  rule: string,
): Pick<
  FaultRowResult,
  | 'injections'
  | 'raised'
  | 'duplicateAlarms'
  | 'missingTransitions'
  | 'deliveriesOwed'
  | 'delivered'
  | 'redeliveries'
> & { problems: string[] } {
  const account = accountInjections(injections, alarms, deliveries, document, rule);
  const problems: string[] = [];
  const byInjection = new Map<string, Set<string>>();
  const injectionKeys = new Set(injections.map((i) => `${i.enterpriseId}\0${i.point}\0${i.ts}`));
  let duplicateAlarms = 0;
  for (const a of alarms) {
    if (a.rule !== rule || a.transition !== 'raise') continue;
    const key = `${a.enterpriseId}\0${a.point}\0${a.eventTime}`;
    if (!injectionKeys.has(key)) {
      duplicateAlarms++;
      problems.push(`raise ${a.alarmId} matches no injection`);
      continue;
    }
    const ids = byInjection.get(key) ?? new Set<string>();
    ids.add(a.alarmId);
    byInjection.set(key, ids);
  }
  for (const ids of byInjection.values())
    if (ids.size > 1) {
      duplicateAlarms += ids.size - 1;
      problems.push(`one injection raised ${[...ids].join(', ')}`);
    }
  // A raise's notice carries the alarm as it is when the notice goes out: after a catch-up burst its
  // rtn may already be in (a later seq), so a notice counts for the raise whose seq it is at or after.
  const raiseSeqs = new Map<string, number[]>();
  for (const a of alarms)
    if (a.transition === 'raise') raiseSeqs.set(a.alarmId, [...(raiseSeqs.get(a.alarmId) ?? []), a.seq]);
  const deliveredTo = (raise: AlarmTransitionEvent): Set<string> => {
    const next = Math.min(...(raiseSeqs.get(raise.alarmId) ?? []).filter((s) => s > raise.seq));
    return new Set(
      deliveries.flatMap((d) =>
        d.event === 'alarm.raised' &&
        (d.outcome === 'accepted' || d.outcome === 'duplicate') &&
        d.subscriptionId &&
        d.payload?.alarm.alarmId === raise.alarmId &&
        d.payload.alarm.seq >= raise.seq &&
        d.payload.alarm.seq < next
          ? [d.subscriptionId]
          : [],
      ),
    );
  };
  let missingTransitions = 0;
  let delivered = 0;
  for (const acc of account.accounts) {
    if (!acc.raised) {
      problems.push(`${acc.injection.id} ${acc.injection.point}: no raise`);
      continue;
    }
    const own = alarms.filter((a) => a.alarmId === acc.raised!.alarmId);
    const seqs = new Set(own.map((a) => a.seq));
    const max = Math.max(...seqs);
    for (let s = acc.raised.seq; s <= max; s++)
      if (!seqs.has(s)) {
        missingTransitions++;
        problems.push(`${acc.raised.alarmId}: seq ${s} missing`);
      }
    if (!own.some((a) => a.transition === 'rtn')) {
      missingTransitions++;
      problems.push(`${acc.raised.alarmId}: no rtn`);
    }
    const got = deliveredTo(acc.raised);
    const undelivered = acc.expected.filter((sub) => !got.has(sub));
    delivered += acc.expected.length - undelivered.length;
    if (undelivered.length > 0)
      problems.push(`${acc.raised.alarmId}: alarm.raised not delivered to ${undelivered.join(', ')}`);
  }
  const raisedIds = new Set(account.accounts.flatMap((a) => (a.raised ? [a.raised.alarmId] : [])));
  return {
    injections: injections.length,
    raised: account.accounts.filter((a) => a.raised).length,
    duplicateAlarms,
    missingTransitions,
    deliveriesOwed: account.mustDeliver,
    delivered,
    redeliveries: deliveries.filter(
      (d) => d.outcome === 'duplicate' && d.payload && raisedIds.has(d.payload.alarm.alarmId),
    ).length,
    problems,
  };
}

const HEADER = [
  'fault (kill -9, restart)',
  'readings acked / stored / lost',
  'injected / raised',
  'duplicate alarms',
  'missing transitions',
  'raise deliveries owed / delivered (redelivered)',
  'recovered after',
  'note',
];

/** The matrix as a Markdown table (printed by the test and pasted into docs/reliability.md). */
export function formatMatrix(rows: readonly FaultRowResult[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...rows.map((r) =>
      line([
        r.row,
        `${r.readingsAcked} / ${r.readingsStored} / ${r.readingsLost}`,
        `${r.injections} / ${r.raised}`,
        String(r.duplicateAlarms),
        String(r.missingTransitions),
        `${r.deliveriesOwed} / ${r.delivered} (${r.redeliveries})`,
        r.recoverMs === null ? 'not recovered' : `${(r.recoverMs / 1000).toFixed(1)} s`,
        r.note,
      ]),
    ),
  ].join('\n');
}
