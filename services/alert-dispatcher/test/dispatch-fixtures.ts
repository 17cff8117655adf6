import { type AlarmTransitionEvent, RegistryDocument, SHANXI_SCHEME } from '@yujing/schemas';

/** Test registry: three enterprises, short escalation delays, subscribers on a local receiver. */

export const E1 = '140105YJ001'; // A-class, 太原 小店区
export const E2 = '140106YJ002'; // B-class, 太原 迎泽区
export const E3 = '140107YJ003'; // C-class, 太原 杏花岭区
export const CITY_DELAY_MS = 2500;
export const PROVINCE_DELAY_MS = 4000;
export const SECRET = 'test-secret-0123456789abcdef';

const enterprise = (id: string, county: string, code: 'A' | 'B' | 'C', rank: number) => ({
  id,
  name: `测试企业 ${id}`,
  region: { province: '140000', city: '140100', county },
  industries: ['steel'],
  hazards: code === 'C' ? [] : ['industrial-gas'],
  classification: { scheme: SHANXI_SCHEME, code, rank },
  connectionRequiredBy: '2025-12-31',
});

const sub = (
  base: string,
  id: string,
  level: string,
  code: string,
  url = `${base}/hook/${id}`,
  ratePerSecond = 50,
) => ({
  id,
  name: id,
  scope: { level, code },
  url,
  secret: SECRET,
  ratePerSecond,
});

export function testRegistry(
  receiverUrl: string,
  deadUrl: string,
  delays = { cityMs: CITY_DELAY_MS, provinceMs: PROVINCE_DELAY_MS },
): RegistryDocument {
  return RegistryDocument.parse({
    enterprises: [
      enterprise(E1, '140105', 'A', 1),
      enterprise(E2, '140106', 'B', 2),
      enterprise(E3, '140107', 'C', 3),
    ],
    policies: [
      {
        id: 'a-level-1',
        classification: ['A'],
        levels: [1],
        steps: [
          { afterMs: 0, notify: 'enterprise' },
          { afterMs: 0, notify: 'county' },
          { afterMs: delays.cityMs, notify: 'city' },
          { afterMs: delays.provinceMs, notify: 'province' },
        ],
      },
      {
        id: 'a-level-2',
        classification: ['A'],
        levels: [2],
        steps: [{ afterMs: 0, notify: 'enterprise' }],
        reminder: { firstMs: 1000, factor: 1.5, maxMs: 5000, maxCount: 2 },
      },
      {
        // The less severe chain an A-class alarm follows after de-escalating from level 1 to 3.
        id: 'a-level-3',
        classification: ['A'],
        levels: [3],
        steps: [
          { afterMs: 0, notify: 'enterprise' },
          { afterMs: 0, notify: 'county' },
        ],
      },
      {
        id: 'b-any',
        classification: ['B'],
        levels: [1, 2, 3, 4],
        steps: [{ afterMs: 0, notify: 'enterprise' }],
      },
      {
        id: 'c-any',
        classification: ['C'],
        levels: [1, 2, 3, 4],
        steps: [{ afterMs: 0, notify: 'enterprise' }],
      },
    ],
    subscriptions: [
      sub(receiverUrl, 'ent-e1', 'enterprise', E1),
      sub(receiverUrl, 'county-140105', 'county', '140105'),
      sub(receiverUrl, 'city-140100', 'city', '140100'),
      sub(receiverUrl, 'province-140000', 'province', '140000'),
      // Regulators of other regions: must never receive E1's alarms.
      sub(receiverUrl, 'county-140106', 'county', '140106'),
      sub(receiverUrl, 'city-140200', 'city', '140200'),
      sub(receiverUrl, 'province-130000', 'province', '130000'),
      sub(receiverUrl, 'flaky-e2', 'enterprise', E2),
      sub(receiverUrl, 'down-e2', 'enterprise', E2, deadUrl),
      sub(receiverUrl, 'ent-e3', 'enterprise', E3),
      // One request per second at most (token bucket, burst 1).
      sub(receiverUrl, 'slow-e3', 'enterprise', E3, `${receiverUrl}/hook/slow-e3`, 1),
      // Private address not in the allowance (only 127.0.0.0/8 is): the SSRF guard refuses it.
      sub(receiverUrl, 'private-e3', 'enterprise', E3, 'http://10.255.255.1:8080/hook'),
    ],
  });
}

let episode = Date.now();

/** A transition event of one alarm; `next` derives the following transition of the same alarm. */
export function raiseEvent(
  enterpriseId: string,
  level: number,
  over: Partial<AlarmTransitionEvent> = {},
): AlarmTransitionEvent {
  const episodeStart = episode++;
  const now = Date.now();
  return {
    alarmId: `${enterpriseId}:CO-BF1-003:co-high:${episodeStart}`,
    enterpriseId,
    point: 'CO-BF1-003',
    rule: 'co-high',
    kind: 'threshold',
    level,
    state: 'active-unack',
    loop: 'open',
    transition: 'raise',
    value: 180,
    limit: 160,
    eventTime: now,
    emittedAt: now,
    episodeStart,
    seq: 1,
    ...over,
  };
}

export function nextEvent(
  prev: AlarmTransitionEvent,
  over: Partial<AlarmTransitionEvent>,
): AlarmTransitionEvent {
  const now = Date.now();
  return { ...prev, eventTime: now, emittedAt: now, seq: prev.seq + 1, ...over };
}
