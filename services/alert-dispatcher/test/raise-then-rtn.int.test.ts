import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E1, nextEvent, raiseEvent } from './dispatch-fixtures';
import { type Harness, payload, startHarness } from './dispatcher-harness';

/**
 * Found by the fault matrix (docs/reliability.md, rules-worker row): after a rules-worker crash it
 * catches up on the readings of its outage in a burst, so an excursion's raise and its return to
 * normal (rtn) reach the dispatcher milliseconds apart. The rtn must stop the escalation still to
 * come, but not the raise's own immediate notice: the alarm happened and is unacknowledged.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('dispatch-rtn');
});
afterAll(async () => {
  await h?.stop();
});

describe('a raise followed at once by its return to normal', () => {
  it('still notifies the immediate steps (enterprise and county) with alarm.raised', async () => {
    const raise = raiseEvent(E1, 1);
    const rtn = nextEvent(raise, { transition: 'rtn', state: 'rtn-unack' });
    await h.send(raise);
    await h.send(rtn);
    const got = await waitFor(
      () => {
        const subs = ['ent-e1', 'county-140105'].map((s) => h.receiver.for(s, raise.alarmId));
        return subs.every((r) => r.length > 0) && subs.map((r) => r[0]!);
      },
      { timeoutMs: 20_000, message: 'alarm.raised at the enterprise and the county' },
    );
    expect(got.map((r) => payload(r).event)).toEqual(['alarm.raised', 'alarm.raised']);
  });
});
