/**
 * Sequence state of one gateway: a ring of the last `window` sequence numbers with the sentAt
 * of the message that carried each (so an exact replay — same seq AND same sentAt — is told
 * apart from a gateway that restarted and reuses low sequence numbers), the highest committed
 * seq, and the ranges still missing above it. Memory is fixed: 2 × window doubles + a few
 * ranges, whatever the gateway sends.
 */
const EMPTY = -1;
const PENDING = 1;
const COMMITTED = 2;

export interface MissingRange {
  from: number;
  to: number;
  /** When the range was first seen missing (ms), for the report grace. */
  since: number;
}

export class GatewaySequence {
  readonly #seqs: Float64Array;
  readonly #sentAts: Float64Array;
  readonly #states: Uint8Array;
  highest = EMPTY;
  missing: MissingRange[] = [];

  constructor(readonly window: number) {
    this.#seqs = new Float64Array(window).fill(EMPTY);
    this.#sentAts = new Float64Array(window);
    this.#states = new Uint8Array(window);
  }

  /** 'same' = this exact message is held (pending or committed); 'other' = the slot holds this seq with another sentAt. */
  holds(seq: number, sentAt: number): 'same' | 'other' | 'none' {
    const i = seq % this.window;
    if (this.#seqs[i] !== seq || this.#states[i] === 0) return 'none';
    return this.#sentAts[i] === sentAt ? 'same' : 'other';
  }

  markPending(seq: number, sentAt: number): void {
    const i = seq % this.window;
    this.#seqs[i] = seq;
    this.#sentAts[i] = sentAt;
    this.#states[i] = PENDING;
  }

  /** Forgets a pending message (its output failed): a redelivery is then accepted. */
  release(seq: number, sentAt: number): void {
    const i = seq % this.window;
    if (this.#seqs[i] === seq && this.#sentAts[i] === sentAt && this.#states[i] === PENDING) {
      this.#seqs[i] = EMPTY;
      this.#states[i] = 0;
    }
  }

  /** Records a message as delivered downstream; returns how many seqs became newly missing. */
  commit(seq: number, sentAt: number, now: number, maxRanges: number): number {
    const i = seq % this.window;
    this.#seqs[i] = seq;
    this.#sentAts[i] = sentAt;
    this.#states[i] = COMMITTED;
    if (this.highest === EMPTY) {
      this.highest = seq;
      return 0;
    }
    if (seq > this.highest) {
      const gap = seq - this.highest - 1;
      if (gap > 0) {
        this.missing.push({ from: this.highest + 1, to: seq - 1, since: now });
        // Bounded: the oldest ranges are folded together rather than dropped.
        while (this.missing.length > maxRanges) {
          const [a, b] = this.missing.splice(0, 2) as [MissingRange, MissingRange];
          this.missing.unshift({ from: a.from, to: b.to, since: Math.min(a.since, b.since) });
        }
      }
      this.highest = seq;
      return gap;
    }
    this.fill(seq);
    return 0;
  }

  /** A late message arrived: take it out of the missing ranges. */
  fill(seq: number): void {
    const out: MissingRange[] = [];
    for (const r of this.missing) {
      if (seq < r.from || seq > r.to) out.push(r);
      else {
        if (seq > r.from) out.push({ from: r.from, to: seq - 1, since: r.since });
        if (seq < r.to) out.push({ from: seq + 1, to: r.to, since: r.since });
      }
    }
    this.missing = out;
  }

  /** Removes and returns the ranges missing for at least `graceMs`. */
  takeOverdue(now: number, graceMs: number): MissingRange[] {
    const overdue = this.missing.filter((r) => now - r.since >= graceMs);
    if (overdue.length > 0) this.missing = this.missing.filter((r) => now - r.since < graceMs);
    return overdue;
  }
}
