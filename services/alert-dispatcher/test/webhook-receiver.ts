import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test receiver got. */
export interface Received {
  subscriptionId: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  status: number;
}

/** Decides the answer per subscription and attempt number of the same delivery id (1-based). */
export type Behaviour = (attempt: number) => number;

/**
 * A real HTTP server on 127.0.0.1:<ephemeral> standing in for regulators: records every
 * request (path /hook/<subscriptionId>) and answers per subscription as told (200 by default).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly #behaviour = new Map<string, Behaviour>();
  readonly #attempts = new Map<string, number>();
  #server: http.Server | undefined;

  get url(): string {
    const addr = this.#server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error('receiver not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  behave(subscriptionId: string, behaviour: Behaviour): void {
    this.#behaviour.set(subscriptionId, behaviour);
  }

  for(subscriptionId: string, alarmId?: string): Received[] {
    return this.received.filter(
      (r) =>
        r.subscriptionId === subscriptionId &&
        (alarmId === undefined || JSON.parse(r.body).alarm.alarmId === alarmId),
    );
  }

  async start(): Promise<this> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const subscriptionId = (req.url ?? '').replace(/^\/hook\//, '');
        const deliveryId = String(req.headers['x-yujing-delivery'] ?? '');
        const attempt = (this.#attempts.get(deliveryId) ?? 0) + 1;
        this.#attempts.set(deliveryId, attempt);
        const status = this.#behaviour.get(subscriptionId)?.(attempt) ?? 200;
        this.received.push({
          subscriptionId,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
          status,
        });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try later');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** A local port nothing listens on (a receiver "down for good"). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
