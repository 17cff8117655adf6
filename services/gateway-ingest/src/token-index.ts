import { createHash } from 'node:crypto';
import type { Gateway } from '@yujing/schemas';

/** The registry view the index is built from (RegistryStore satisfies it). */
export interface GatewayListing {
  readonly version: number;
  gateways(): Gateway[];
}

/**
 * Bearer token → gateway, by the sha256 digest the registry stores. Rebuilt lazily when the
 * registry version moved, so a rotated or removed token stops working on the next request.
 */
export class TokenIndex {
  #version = -1;
  #byDigest = new Map<string, { enterpriseId: string; gatewayId: string }>();

  constructor(private readonly registry: GatewayListing) {}

  lookup(token: string): { enterpriseId: string; gatewayId: string } | undefined {
    if (this.registry.version !== this.#version) {
      this.#version = this.registry.version;
      this.#byDigest = new Map(
        this.registry
          .gateways()
          .map((g) => [g.credentials.httpTokenSha256, { enterpriseId: g.enterpriseId, gatewayId: g.id }]),
      );
    }
    return this.#byDigest.get(createHash('sha256').update(token, 'utf8').digest('hex'));
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}
