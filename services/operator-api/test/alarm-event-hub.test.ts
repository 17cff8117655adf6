import { describe, expect, it } from 'vitest';
import { AlarmEventHub } from '../src/feed/alarm-event-hub';
import { alarmEvent, E_TY } from './route-harness';

describe('AlarmEventHub resume', () => {
  it('replays events after a Last-Event-ID it holds', () => {
    const hub = new AlarmEventHub({ ringSize: 3, bootId: 'b1' });
    const ids = [1, 2, 3].map((seq) => hub.publish(alarmEvent(E_TY, { seq })).id);
    const r = hub.since(ids[0] as string);
    expect(r.kind === 'events' && r.events.map((e) => e.event.seq)).toEqual([2, 3]);
  });

  it('tells the client to reload when the id fell out of the ring or comes from another instance', () => {
    const hub = new AlarmEventHub({ ringSize: 2, bootId: 'b1' });
    const first = hub.publish(alarmEvent(E_TY, { seq: 1 })).id;
    for (const seq of [2, 3, 4]) hub.publish(alarmEvent(E_TY, { seq }));
    expect(hub.since(first)).toEqual({ kind: 'reload', reason: 'too-old' });
    expect(hub.since('other-5')).toEqual({ kind: 'reload', reason: 'unknown-stream' });
    expect(hub.since('b1-99')).toEqual({ kind: 'reload', reason: 'unknown-stream' });
  });

  it('keeps the latest transition per alarm by seq, not by arrival', () => {
    const hub = new AlarmEventHub({ ringSize: 10, bootId: 'b1' });
    hub.publish(alarmEvent(E_TY, { seq: 2, state: 'active-ack' }));
    hub.publish(alarmEvent(E_TY, { seq: 1, state: 'active-unack' }));
    expect(hub.latest(alarmEvent(E_TY).alarmId)?.state).toBe('active-ack');
  });
});
