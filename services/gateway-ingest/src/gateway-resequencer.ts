/**
 * Puts a gateway's messages back in `seq` order before they are produced.
 *
 * Why: MQTT keeps one publisher's order only towards one subscriber. gateway-ingest reads through
 * N sessions of one shared subscription, and the broker deals a gateway's consecutive messages
 * out to different sessions, each handling one message at a time; so message n+1 can reach Kafka
 * before message n. The rules-worker evaluates a point's readings in sensor-time order and skips
 * a reading older than the last one evaluated (docs/alarm-lifecycle.md, late data), so an
 * excursion overtaken by the next healthy message was never evaluated: the pipeline bench lost
 * injected CO alarms that way under load (issue 20; `yujing_rules_readings_skipped_total
 * {reason="out-of-order"}` counted thousands of readings per minute at 40k readings/s).
 *
 * How: a message may go once the message before it (seq − 1) of its gateway went, or at once when
 * the gateway has no history here, or its seq is not above the last one released (a replay, a
 * restarted gateway). A message that arrives early waits at most `holdMs` for the gap to fill
 * (a lost or rejected message, or one on its way through another session), then goes anyway.
 * Only gateways seen numbering one by one are held (a gateway whose seq skips, or one whose gap
 * was just given up on, is not waited for until two consecutive seqs are seen again), so a gap
 * costs at most one hold.
 * Produce order per key is call order (LingerProducer), so releasing right after the send call
 * is enough. One instance only orders its own sessions; with several ingest instances the
 * broker still spreads a gateway over them (docs/ingestion.md).
 */
export class GatewayResequencer {
  readonly #holdMs: number;
  /**
   * Per gateway: the highest seq released, whether it followed its predecessor (seq − 1), and
   * the messages waiting for a lower one.
   */
  readonly #gateways = new Map<
    string,
    { last: number; consecutive: boolean; waiting: Map<number, () => void> }
  >();

  constructor(opts: { holdMs: number }) {
    this.#holdMs = opts.holdMs;
  }

  /** Messages currently held back, for the gauge. */
  get held(): number {
    let n = 0;
    for (const g of this.#gateways.values()) n += g.waiting.size;
    return n;
  }

  /**
   * Resolves when the message may be produced: 'now' (nothing to wait for), 'in-order' (it waited
   * and the message before it went) or 'gave-up' (the gap did not fill within the hold). The
   * caller must call `release(key, seq)` right after handing the message to the producer (or
   * dropping it), so the next one may go.
   */
  async turn(key: string, seq: number): Promise<'now' | 'in-order' | 'gave-up'> {
    const g = this.#gateways.get(key);
    // Only a gateway seen numbering its messages one by one is waited for: one that skips seqs
    // (its own numbering, or after a gap we gave up on) must not pay the hold on every message.
    if (!g || !g.consecutive || seq <= g.last + 1 || this.#holdMs <= 0) return 'now';
    if (g.waiting.has(seq)) return 'now'; // a copy of a held message: not ours to order
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        g.waiting.delete(seq);
        g.consecutive = false;
        resolve('gave-up');
      }, this.#holdMs);
      g.waiting.set(seq, () => {
        clearTimeout(timer);
        g.waiting.delete(seq);
        resolve('in-order');
      });
    });
  }

  /** Marks `seq` as handed to the producer (or dropped) and lets the next message of the gateway go. */
  release(key: string, seq: number): void {
    let g = this.#gateways.get(key);
    if (!g) {
      g = { last: seq, consecutive: false, waiting: new Map() };
      this.#gateways.set(key, g);
    }
    if (seq > g.last) {
      g.consecutive = seq === g.last + 1;
      g.last = seq;
    }
    g.waiting.get(g.last + 1)?.();
  }
}
