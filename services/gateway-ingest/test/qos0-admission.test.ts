import { describe, expect, it } from 'vitest';
import { Qos0Admission } from '../src/qos0-admission';

describe('Qos0Admission', () => {
  it('holds at most perGateway per gateway, and another gateway still gets in', () => {
    const a = new Qos0Admission({ perGateway: 2, total: 10, totalBytes: 1000 });
    expect([a.admit('e/g1', 10), a.admit('e/g1', 10), a.admit('e/g1', 10)]).toEqual([
      'admitted',
      'admitted',
      'gateway-limit',
    ]);
    expect(a.admit('e/g2', 10)).toBe('admitted');
    expect(a.inFlight).toBe(3);
    a.release('e/g1', 10);
    expect(a.admit('e/g1', 10)).toBe('admitted');
  });

  it('caps the total count and bytes over all gateways', () => {
    const a = new Qos0Admission({ perGateway: 5, total: 2, totalBytes: 100 });
    expect(a.admit('g1', 10)).toBe('admitted');
    expect(a.admit('g2', 10)).toBe('admitted');
    expect(a.admit('g3', 10)).toBe('total-limit');
    const b = new Qos0Admission({ perGateway: 5, total: 10, totalBytes: 100 });
    expect(b.admit('g1', 60)).toBe('admitted');
    expect(b.admit('g2', 41)).toBe('total-limit');
    expect(b.admit('g2', 40)).toBe('admitted');
    expect(b.bytes).toBe(100);
  });

  it('forgets a gateway with nothing in flight, and ignores a release it never admitted', () => {
    const a = new Qos0Admission({ perGateway: 1, total: 10, totalBytes: 100 });
    a.admit('g1', 5);
    a.release('g1', 5);
    a.release('g1', 5);
    a.release('never', 5);
    expect({ inFlight: a.inFlight, bytes: a.bytes }).toEqual({ inFlight: 0, bytes: 0 });
  });
});
