import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import type { Logger } from '@yujing/logger';
import type { DeliveryInbox, DeliveryRecordLine } from './delivery-inbox';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface RegulatorServerOptions {
  inbox: DeliveryInbox;
  logger: Logger;
  recordFile?: string;
  onRecord?: (r: DeliveryRecordLine) => void;
}

/**
 * The socket side of the regulator: one node:http server per listen address, reading the raw
 * body (the signature covers the exact bytes), answering with the inbox's verdict, appending
 * the record to the JSON-lines file. `/healthz` answers 200 for readiness probes.
 */
export class RegulatorServer {
  readonly #servers: Server[] = [];
  #writes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: RegulatorServerOptions) {}

  async listen(
    addresses: readonly { host: string; port: number }[],
  ): Promise<{ host: string; port: number }[]> {
    if (this.opts.recordFile) await mkdir(dirname(this.opts.recordFile), { recursive: true });
    const bound = [];
    for (const a of addresses) {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        req.on('end', () => {
          if (req.url === '/healthz') return void res.writeHead(200).end('ok');
          const path = new URL(req.url ?? '/', 'http://x').pathname;
          const verdict =
            size > MAX_BODY_BYTES || req.method !== 'POST'
              ? this.opts.inbox.handle({
                  path: '/(refused)',
                  headers: req.headers,
                  body: Buffer.alloc(0),
                  nowMs: Date.now(),
                })
              : this.opts.inbox.handle({
                  path,
                  headers: req.headers,
                  body: Buffer.concat(chunks),
                  nowMs: Date.now(),
                });
          res
            .writeHead(verdict.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(verdict.body));
          this.#record(verdict.record);
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(a.port, a.host, () => resolve());
      });
      const addr = server.address();
      bound.push({ host: a.host, port: typeof addr === 'object' && addr ? addr.port : a.port });
      this.#servers.push(server);
    }
    return bound;
  }

  async close(): Promise<void> {
    await Promise.all(this.#servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    await this.#writes;
  }

  #record(r: DeliveryRecordLine): void {
    this.opts.onRecord?.(r);
    if (r.outcome === 'rejected')
      this.opts.logger.warn(
        { path: r.path, status: r.status, reason: r.reason, deliveryId: r.deliveryId },
        'webhook rejected',
      );
    const file = this.opts.recordFile;
    if (file)
      this.#writes = this.#writes
        .then(() => appendFile(file, `${JSON.stringify(r)}\n`))
        .catch((err) => this.opts.logger.error({ err, file }, 'cannot record delivery'));
  }
}

/** The distinct loopback listen addresses of a set of subscription URLs. */
export function listenAddressesOf(urls: readonly string[]): { host: string; port: number }[] {
  const seen = new Map<string, { host: string; port: number }>();
  for (const raw of urls) {
    const u = new URL(raw);
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    seen.set(`${u.hostname}:${port}`, { host: u.hostname, port });
  }
  return [...seen.values()];
}
