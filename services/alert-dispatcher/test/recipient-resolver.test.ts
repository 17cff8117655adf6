import { WebhookSubscription } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import {
  coversEnterprise,
  followUpRecipients,
  recipientsForStep,
  scopeCodeFor,
} from '../src/recipient-resolver';

const enterprise = { id: '140105YJ001', region: { province: '140000', city: '140100', county: '140105' } };
const sub = (
  id: string,
  level: WebhookSubscription['scope']['level'],
  code: string,
  extra: Partial<WebhookSubscription> = {},
) =>
  WebhookSubscription.parse({
    id,
    name: id,
    scope: { level, code },
    url: `https://example.org/${id}`,
    secret: 'x'.repeat(32),
    ...extra,
  });

const subs = [
  sub('ent', 'enterprise', '140105YJ001'),
  sub('ent-other', 'enterprise', '140105YJ002'),
  sub('county', 'county', '140105'),
  sub('county-other', 'county', '140106'),
  sub('city', 'city', '140100'),
  sub('city-other', 'city', '140200'),
  sub('province', 'province', '140000'),
  sub('province-other', 'province', '130000'),
  sub('county-minor-only', 'county', '140105', { maxLevel: 1, events: ['alarm.resolved'] }),
  sub('county-disabled', 'county', '140105', { enabled: false }),
];

describe('recipientsForStep', () => {
  it.each([
    ['enterprise', ['ent']],
    ['county', ['county']],
    ['city', ['city']],
    ['province', ['province']],
  ] as const)(
    'a %s step reaches only the %s subscriptions of the enterprise’s own region',
    (target, expected) => {
      expect(recipientsForStep(target, enterprise, subs, 'alarm.raised', 1).map((s) => s.id)).toEqual(
        expected,
      );
    },
  );

  it('drops subscriptions that do not want the event, are disabled, or exclude the level', () => {
    const severe = sub('county-severe', 'county', '140105', { maxLevel: 2 });
    const ids = (level: number) =>
      recipientsForStep('county', enterprise, [...subs, severe], 'alarm.escalated', level).map((s) => s.id);
    expect(ids(2)).toEqual(['county', 'county-severe']);
    expect(ids(3)).toEqual(['county']);
  });
});

describe('scope containment', () => {
  it('maps each chain level to the enterprise’s code at that level', () => {
    expect(
      ['enterprise', 'county', 'city', 'province'].map((t) => scopeCodeFor(t as 'city', enterprise)),
    ).toEqual(['140105YJ001', '140105', '140100', '140000']);
  });

  it('a regulator of another region never covers the enterprise', () => {
    const covered = subs.filter((s) => coversEnterprise(s, enterprise)).map((s) => s.id);
    expect(covered).not.toContain('county-other');
    expect(covered).not.toContain('city-other');
    expect(covered).not.toContain('province-other');
    expect(covered).not.toContain('ent-other');
  });
});

describe('followUpRecipients', () => {
  it('goes to notified subscriptions only, re-checked against region and event filter', () => {
    const moved = sub('city', 'city', '140200'); // re-scoped to another city since it was notified
    const current = [...subs.filter((s) => s.id !== 'city'), moved];
    const ids = followUpRecipients(
      ['ent', 'county', 'city', 'county-minor-only', 'gone'],
      enterprise,
      current,
      'alarm.resolved',
      1,
    );
    expect(ids.map((s) => s.id)).toEqual(['county', 'county-minor-only', 'ent']);
    const reminders = followUpRecipients(
      ['ent', 'county-minor-only'],
      enterprise,
      current,
      'alarm.reminder',
      1,
    );
    expect(reminders.map((s) => s.id)).toEqual(['ent']);
  });
});
