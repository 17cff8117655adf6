import { Enterprise, RegistryDocument } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { validateRegistry } from '../src/validate-registry';

/** Cross-checks of people and on-call rosters (pure: documents built in memory). */
const enterprise = Enterprise.parse({
  id: '140105MD01',
  name: '太原示例铝制品有限公司',
  region: { province: '140000', city: '140100', county: '140105' },
  industries: ['aluminium-casting'],
  hazards: ['explosive-dust'],
  classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
  connectionRequiredBy: '2025-06-30',
});
const person = (id: string, roles: string[], scope = { level: 'enterprise', code: '140105MD01' }) => ({
  id,
  name: id,
  scope,
  roles,
  channels: [{ id: 'sms', kind: 'sms', phone: '13800000000' }],
});

const check = (people: unknown[], rosters: unknown[]) =>
  validateRegistry(RegistryDocument.parse({ enterprises: [enterprise], people, rosters }), () => undefined)
    .problems;

describe('registry validation of people and rosters', () => {
  it('accepts a roster whose shifts name people holding its role', () => {
    expect(
      check(
        [person('wang', ['enterprise-duty-operator'])],
        [
          {
            id: 'ops',
            scope: { level: 'enterprise', code: '140105MD01' },
            role: 'enterprise-duty-operator',
            shifts: [{ personId: 'wang', start: '08:00', end: '20:00' }],
          },
        ],
      ),
    ).toEqual([]);
  });

  it('names unknown people, people without the role and unknown scopes', () => {
    const problems = check(
      [
        person('wang', ['enterprise-safety-manager']),
        person('li', ['county-duty-officer'], { level: 'county', code: '140100' }),
      ],
      [
        {
          id: 'ops',
          scope: { level: 'enterprise', code: '140105XX99' },
          role: 'enterprise-duty-operator',
          shifts: [
            { personId: 'wang', start: '08:00', end: '20:00' },
            { personId: 'nobody', start: '20:00', end: '08:00' },
          ],
        },
      ],
    );
    expect(problems.map((p) => [p.path, p.message]).sort()).toEqual([
      ['(entity).scope.code', '140100 is not a county administrative code'],
      ['(entity).scope.code', 'unknown enterprise 140105XX99'],
      ['(entity).shifts.0.personId', 'person wang does not hold the role enterprise-duty-operator'],
      ['(entity).shifts.1.personId', 'unknown person nobody'],
    ]);
  });

  it('refuses quiet hours that would hold back level 1 alarms', () => {
    const parsed = RegistryDocument.safeParse({
      people: [
        {
          ...person('wang', ['enterprise-duty-operator']),
          quietHours: [{ start: '22:00', end: '07:00', levels: [1, 3] }],
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['people', 0, 'quietHours', 0, 'levels']);
    expect(parsed.error?.issues[0]?.message).toMatch(/level 1 alarms are always delivered/);
  });
});
