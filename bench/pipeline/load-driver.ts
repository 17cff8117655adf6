import { gatewayUsername } from '@yujing/broker-auth';
import { devGatewayCredentials } from '@yujing/fixtures';
import type { SimGatewaySpec } from '@yujing/gateway-simulator';
import { safeBand } from '@yujing/gateway-simulator';
import mqtt, { type MqttClient } from 'mqtt';

interface DriverGateway {
  spec: SimGatewaySpec;
  client: MqttClient;
  topic: string;
  seq: number;
  lastTs: number;
  /** Healthy values per point: the middle of its safe band, varied slightly so nothing looks frozen. */
  mid: number[];
  span: number[];
}

/**
 * A load generator for the pipeline bench: one MQTT connection per gateway (real credentials,
 * QoS 1), each message carrying every point of its gateway once with a healthy value, paced in
 * 50 ms slots to a target rate of readings per second. Timestamps are unique per gateway.
 */
export class LoadDriver {
  readonly #gateways: DriverGateway[] = [];
  #next = 0;
  published = 0;
  readingsPublished = 0;
  /** Readings whose message the broker acknowledged (PUBACK): what the platform owes the gateway. */
  readingsAcked = 0;
  inFlight = 0;
  failures = 0;

  constructor(private readonly url: string) {}

  async open(gateways: readonly SimGatewaySpec[], clientIdPrefix: string): Promise<void> {
    for (const spec of gateways) {
      const username = gatewayUsername(spec.enterpriseId, spec.gatewayId);
      const client = await mqtt.connectAsync(this.url, {
        protocolVersion: 5,
        clientId: `${clientIdPrefix}-${username}`,
        username,
        password: devGatewayCredentials(spec.enterpriseId, spec.gatewayId).mqttPassword,
        clean: true,
        reconnectPeriod: 1000,
      });
      const bands = spec.points.map((p) => safeBand(p.bounds, 0));
      this.#gateways.push({
        spec,
        client,
        topic: `yj/v1/${spec.enterpriseId}/${spec.gatewayId}/telemetry`,
        seq: Date.now(),
        lastTs: 0,
        mid: bands.map((b) => (b.lo + b.hi) / 2),
        span: bands.map((b) => (b.hi - b.lo) / 100),
      });
    }
  }

  /** Readings in one message of the average gateway. */
  get readingsPerMessage(): number {
    return this.#gateways.reduce((n, g) => n + g.spec.points.length, 0) / this.#gateways.length;
  }

  /** Publishes at `readingsPerSecond` until `untilMs` (wall clock), catching up on timer lateness. */
  async run(readingsPerSecond: number, untilMs: number): Promise<void> {
    const slotMs = 50;
    const start = Date.now();
    let sent = 0;
    while (Date.now() < untilMs) {
      const due = (readingsPerSecond * (Date.now() - start)) / 1000;
      while (sent < due && this.inFlight < 2000) sent += this.#publishNext();
      await new Promise((r) => setTimeout(r, slotMs));
    }
  }

  /** One message with a single reading (alarm injection); resolves with its sensor timestamp. */
  inject(enterpriseId: string, point: string, value: number): number {
    const g = this.#gateways.find(
      (x) => x.spec.enterpriseId === enterpriseId && x.spec.points.some((p) => p.code === point),
    );
    if (!g) throw new Error(`no gateway carries ${enterpriseId}:${point}`);
    const ts = this.#ts(g);
    this.#send(g, [{ point, ts, v: value }]);
    return ts;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#gateways.map((g) => g.client.endAsync()));
  }

  #publishNext(): number {
    const g = this.#gateways[this.#next++ % this.#gateways.length]!;
    const ts = this.#ts(g);
    const k = g.seq % 7;
    const readings = g.spec.points.map((p, i) => ({
      point: p.code,
      ts,
      v: Math.round((g.mid[i]! + (k - 3) * g.span[i]!) * 1000) / 1000,
    }));
    this.#send(g, readings);
    return readings.length;
  }

  #send(g: DriverGateway, readings: { point: string; ts: number; v: number }[]): void {
    const body = JSON.stringify({
      v: 1,
      gatewayId: g.spec.gatewayId,
      seq: g.seq++,
      sentAt: Date.now(),
      readings,
    });
    this.inFlight++;
    this.published++;
    this.readingsPublished += readings.length;
    g.client.publishAsync(g.topic, body, { qos: 1 }).then(
      () => {
        this.inFlight--;
        this.readingsAcked += readings.length;
      },
      () => {
        this.inFlight--;
        this.failures++;
      },
    );
  }

  #ts(g: DriverGateway): number {
    g.lastTs = Math.max(Date.now(), g.lastTs + 1);
    return g.lastTs;
  }
}
