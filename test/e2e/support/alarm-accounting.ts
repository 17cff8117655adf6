import type { DeliveryRecordLine } from '@yujing/regulator-simulator';
import type { AlarmTransitionEvent, RegistryDocument, WebhookSubscription } from '@yujing/schemas';

/** One injected excursion: a single reading over a limit, sent on purpose. */
export interface Injection {
  /** `inj-<n>`: printed when it goes missing. */
  id: string;
  enterpriseId: string;
  point: string;
  /** Sensor timestamp of the reading (the raise's eventTime). */
  ts: number;
  value: number;
}

/** What became of one injection after the drain. */
export interface InjectionAccount {
  injection: Injection;
  /** The raise on yj.alarms.v1 for this reading (rule, point, eventTime = ts), if any. */
  raised: AlarmTransitionEvent | undefined;
  /** Subscriptions the policy's immediate steps (afterMs 0) reach for this alarm's level. */
  expected: string[];
  /** First accepted `alarm.raised` delivery of this raise per subscription: receipt time (ms). */
  delivered: Map<string, number>;
  /** Expected subscriptions without a delivery. */
  undelivered: string[];
}

export interface AlarmAccount {
  accounts: InjectionAccount[];
  /** Injections with no raise on yj.alarms.v1. */
  notRaised: InjectionAccount[];
  /** Raised, but at least one subscription in scope got no delivery. */
  notDelivered: InjectionAccount[];
  /** sensor ts → webhook receipt, one per (injection, subscription) delivered. */
  latenciesMs: number[];
  /** Alarms the injections must raise (one each) and deliveries they must cause. */
  mustRaise: number;
  mustDeliver: number;
}

/**
 * Accounts for every injection: each must raise `rule` on its point with the reading's
 * timestamp as eventTime, and that raise must be delivered (`alarm.raised`, accepted by the
 * receiver) to every webhook subscription the escalation policy's immediate steps reach. Counted
 * per injection, not per point, so two injections on one point are two alarms to find.
 */
export function accountInjections(
  injections: readonly Injection[],
  alarms: readonly AlarmTransitionEvent[],
  deliveries: readonly DeliveryRecordLine[],
  document: Pick<RegistryDocument, 'enterprises' | 'policies' | 'subscriptions'>,
  rule: string,
): AlarmAccount {
  const raises = new Map<string, AlarmTransitionEvent>();
  for (const a of alarms)
    if (a.rule === rule && a.transition === 'raise')
      raises.set(`${a.enterpriseId}\0${a.point}\0${a.eventTime}`, a);
  const byRaise = new Map<string, Map<string, number>>();
  for (const d of deliveries) {
    if (d.event !== 'alarm.raised' || !d.payload || !d.subscriptionId) continue;
    if (d.outcome !== 'accepted' && d.outcome !== 'duplicate') continue;
    const key = `${d.payload.alarm.alarmId}\0${d.payload.alarm.seq}`;
    const subs = byRaise.get(key) ?? new Map<string, number>();
    byRaise.set(key, subs);
    const first = subs.get(d.subscriptionId);
    if (first === undefined || d.receivedAt < first) subs.set(d.subscriptionId, d.receivedAt);
  }
  const accounts = injections.map((injection): InjectionAccount => {
    const raised = raises.get(`${injection.enterpriseId}\0${injection.point}\0${injection.ts}`);
    const expected = raised ? immediateRecipients(raised, document).map((s) => s.id) : [];
    const got = raised ? (byRaise.get(`${raised.alarmId}\0${raised.seq}`) ?? new Map()) : new Map();
    const delivered = new Map([...got].filter(([sub]) => expected.includes(sub)));
    return {
      injection,
      raised,
      expected,
      delivered,
      undelivered: expected.filter((s) => !delivered.has(s)),
    };
  });
  const notRaised = accounts.filter((a) => !a.raised);
  return {
    accounts,
    notRaised,
    notDelivered: accounts.filter((a) => a.raised && a.undelivered.length > 0),
    latenciesMs: accounts.flatMap((a) => [...a.delivered.values()].map((t) => t - a.injection.ts)),
    mustRaise: injections.length,
    mustDeliver: accounts.reduce((n, a) => n + a.expected.length, 0) + notRaised.length,
  };
}

/** The subscriptions the first, immediate steps (afterMs 0) of the alarm's policy notify. */
export function immediateRecipients(
  alarm: Pick<AlarmTransitionEvent, 'enterpriseId' | 'level'>,
  document: Pick<RegistryDocument, 'enterprises' | 'policies' | 'subscriptions'>,
): WebhookSubscription[] {
  const enterprise = document.enterprises.find((e) => e.id === alarm.enterpriseId);
  if (!enterprise) return [];
  const policy = document.policies.find(
    (p) => p.classification.includes(enterprise.classification.code) && p.levels.includes(alarm.level),
  );
  const codeOf = { enterprise: enterprise.id, ...enterprise.region } as Record<string, string>;
  const targets = new Set((policy?.steps ?? []).filter((s) => s.afterMs === 0).map((s) => s.notify));
  return document.subscriptions.filter(
    (s) =>
      s.enabled &&
      targets.has(s.scope.level) &&
      s.scope.code === codeOf[s.scope.level] &&
      s.events.includes('alarm.raised') &&
      alarm.level <= s.maxLevel,
  );
}

/** One line per missing injection: its id and what is missing, for the failure message. */
export function describeMissing(account: AlarmAccount): string[] {
  return [
    ...account.notRaised.map(
      (a) =>
        `${a.injection.id} ${a.injection.enterpriseId}:${a.injection.point} ts ${a.injection.ts}: no raise on yj.alarms.v1`,
    ),
    ...account.notDelivered.map(
      (a) =>
        `${a.injection.id} ${a.injection.enterpriseId}:${a.injection.point} ts ${a.injection.ts}: raised (${a.raised!.alarmId} seq ${a.raised!.seq}) but not delivered to ${a.undelivered.join(', ')}`,
    ),
  ];
}
