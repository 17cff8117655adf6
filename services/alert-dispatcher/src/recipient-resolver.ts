import type {
  AlarmLevel,
  Enterprise,
  EscalationTarget,
  WebhookEventType,
  WebhookSubscription,
} from '@yujing/schemas';

/**
 * Who receives what: pure resolution of webhook subscriptions along the region chain
 * enterprise → county → city → province. A regulator only ever receives alarms of its own region.
 */

/** The scope code a subscription at `target` level must have to cover this enterprise. */
export function scopeCodeFor(
  target: EscalationTarget,
  enterprise: Pick<Enterprise, 'id' | 'region'>,
): string {
  switch (target) {
    case 'enterprise':
      return enterprise.id;
    case 'county':
      return enterprise.region.county;
    case 'city':
      return enterprise.region.city;
    case 'province':
      return enterprise.region.province;
  }
}

/** True when the subscription's region scope contains the enterprise (at any level of its chain). */
export function coversEnterprise(
  sub: Pick<WebhookSubscription, 'scope'>,
  enterprise: Pick<Enterprise, 'id' | 'region'>,
): boolean {
  return sub.scope.code === scopeCodeFor(sub.scope.level, enterprise);
}

/** True when the subscription wants this event at this alarm level (1 = most severe). */
export function wants(sub: WebhookSubscription, event: WebhookEventType, level: AlarmLevel): boolean {
  return sub.enabled && sub.events.includes(event) && level <= sub.maxLevel;
}

/** The subscriptions a step notifying `target` reaches: scope at exactly that level, covering the enterprise. */
export function recipientsForStep(
  target: EscalationTarget,
  enterprise: Pick<Enterprise, 'id' | 'region'>,
  subscriptions: readonly WebhookSubscription[],
  event: WebhookEventType,
  level: AlarmLevel,
): WebhookSubscription[] {
  const code = scopeCodeFor(target, enterprise);
  return subscriptions
    .filter((s) => s.scope.level === target && s.scope.code === code && wants(s, event, level))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Follow-up notices (reminder, acknowledged, resolved, closed) go to the subscriptions already
 * notified, re-checked against the current registry: still present, still covering the
 * enterprise, still wanting the event.
 */
export function followUpRecipients(
  notifiedIds: readonly string[],
  enterprise: Pick<Enterprise, 'id' | 'region'>,
  subscriptions: readonly WebhookSubscription[],
  event: WebhookEventType,
  level: AlarmLevel,
): WebhookSubscription[] {
  const notified = new Set(notifiedIds);
  return subscriptions
    .filter((s) => notified.has(s.id) && coversEnterprise(s, enterprise) && wants(s, event, level))
    .sort((a, b) => a.id.localeCompare(b.id));
}
