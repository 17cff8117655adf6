import type { Logger } from '@yujing/logger';
import type { CredentialsOf, GatewayEndpoint, TelemetryTransport } from './telemetry-transport';

export class HttpIngestError extends Error {
  override readonly name = 'HttpIngestError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`ingest answered ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * `POST /ingest/v1/telemetry` with the gateway's bearer token. HTTP has no connection status, so
 * going offline just means silence. A non-2xx answer rejects with the problem+json body.
 */
export class HttpTransport implements TelemetryTransport {
  readonly name = 'http' as const;
  readonly #offline = new Set<string>();

  constructor(private readonly opts: { baseUrl: string; credentials: CredentialsOf; logger: Logger }) {}

  async open(gateways: readonly GatewayEndpoint[]): Promise<void> {
    this.opts.logger.info({ gateways: gateways.length, url: this.opts.baseUrl }, 'http transport ready');
  }

  async send(gw: GatewayEndpoint, payload: Buffer): Promise<void> {
    const { httpToken } = this.opts.credentials(gw.enterpriseId, gw.gatewayId);
    const res = await fetch(new URL('/ingest/v1/telemetry', this.opts.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${httpToken}` },
      body: payload,
    });
    const body = await res.text();
    if (!res.ok) throw new HttpIngestError(res.status, body);
  }

  async connectionLost(gw: GatewayEndpoint): Promise<void> {
    this.#offline.add(`${gw.enterpriseId}:${gw.gatewayId}`);
  }

  async connectionRestored(gw: GatewayEndpoint): Promise<void> {
    this.#offline.delete(`${gw.enterpriseId}:${gw.gatewayId}`);
  }

  async close(): Promise<void> {}
}
