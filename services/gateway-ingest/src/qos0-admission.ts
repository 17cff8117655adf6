/**
 * Caps for QoS 0 telemetry (issue #14 hole 2). A QoS 1 message is back-pressured by the broker
 * (mqtt.js takes a connection's next message only after our PUBACK), but a QoS 0 message has
 * nothing to acknowledge: the broker pushes as fast as gateways publish, and each one waits for
 * Kafka in memory. Without a cap, one flooding gateway (or every gateway during a Kafka outage)
 * grows the ingest process's memory for everyone. The values are config (MQTT_QOS0_*), chosen so a
 * gateway publishing QoS 0 at its normal rate (a message every few seconds, a produce round trip
 * of milliseconds) never meets them; see docs/ingestion.md.
 */
export interface Qos0Limits {
  /** QoS 0 messages of one gateway being produced at once; more are dropped. */
  perGateway: number;
  /** QoS 0 messages of all gateways being produced at once. */
  total: number;
  /** Payload bytes of those messages, at most. */
  totalBytes: number;
}

export type Qos0Verdict = 'admitted' | 'gateway-limit' | 'total-limit';

/**
 * Admission of QoS 0 messages by gateway: `admit` before handling (the caller drops the message
 * when it is not admitted), `release` once it is on Kafka or abandoned. Memory is one map entry
 * per gateway with a message in flight. Pure: no I/O, no clock.
 */
export class Qos0Admission {
  readonly #limits: Qos0Limits;
  readonly #byGateway = new Map<string, number>();
  #total = 0;
  #bytes = 0;

  constructor(limits: Qos0Limits) {
    this.#limits = limits;
  }

  get inFlight(): number {
    return this.#total;
  }

  get bytes(): number {
    return this.#bytes;
  }

  admit(gateway: string, bytes: number): Qos0Verdict {
    const mine = this.#byGateway.get(gateway) ?? 0;
    if (mine >= this.#limits.perGateway) return 'gateway-limit';
    if (this.#total >= this.#limits.total || this.#bytes + bytes > this.#limits.totalBytes)
      return 'total-limit';
    this.#byGateway.set(gateway, mine + 1);
    this.#total++;
    this.#bytes += bytes;
    return 'admitted';
  }

  release(gateway: string, bytes: number): void {
    const mine = this.#byGateway.get(gateway);
    if (mine === undefined) return;
    if (mine <= 1) this.#byGateway.delete(gateway);
    else this.#byGateway.set(gateway, mine - 1);
    this.#total--;
    this.#bytes -= bytes;
  }
}
