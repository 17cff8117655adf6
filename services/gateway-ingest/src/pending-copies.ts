import { DeliveryAbandoned } from '@yujing/telemetry-intake';

/**
 * The messages whose first copy is still waiting for Kafka, so that another copy of the same
 * message (an MQTT redelivery after a reconnect, an HTTP retry) waits for that copy's outcome
 * instead of being acknowledged as a duplicate while nothing is on Kafka yet (issue #14 hole 3:
 * acknowledged early, the redelivery is dropped by the broker, and the message is lost if the
 * process stops before Kafka comes back). Holds one entry per message in flight, no more.
 */
export class PendingCopies {
  readonly #outcomes = new Map<string, Promise<boolean>>();

  get size(): number {
    return this.#outcomes.size;
  }

  /** Registers the first copy; call the returned function with true once Kafka has it, false if abandoned. */
  begin(key: string): (delivered: boolean) => void {
    let settle!: (delivered: boolean) => void;
    this.#outcomes.set(
      key,
      new Promise<boolean>((resolve) => {
        settle = resolve;
      }),
    );
    return (delivered) => {
      this.#outcomes.delete(key);
      settle(delivered);
    };
  }

  /**
   * Resolves with the first copy's outcome (true: on Kafka, false: abandoned, so this copy must
   * be delivered itself), or undefined when no copy of `key` is pending. Rejects with
   * DeliveryAbandoned if `signal` aborts first: this copy must not be acknowledged either.
   */
  async outcome(key: string, signal?: AbortSignal): Promise<boolean | undefined> {
    const first = this.#outcomes.get(key);
    if (first === undefined) return undefined;
    if (!signal) return first;
    if (signal.aborted) throw new DeliveryAbandoned(String(signal.reason ?? 'aborted'));
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new DeliveryAbandoned(String(signal.reason ?? 'aborted')));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([first, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** One message of one gateway: the replay identity the sequence tracker uses (seq and sentAt). */
export function copyKey(enterpriseId: string, gatewayId: string, seq: number, sentAt: number): string {
  return `${enterpriseId}\u0000${gatewayId}\u0000${seq}\u0000${sentAt}`;
}
