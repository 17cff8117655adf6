import { randomBytes } from 'node:crypto';
import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { RegistryDocument } from '@yujing/schemas';

export interface TestGateway {
  enterpriseId: string;
  gatewayId: string;
  mqttPassword: string;
  httpToken: string;
}

/** A unique enterprise id in county 140105 (太原小店), e.g. 140105t3f2a9c. */
export function uniqueEnterpriseId(): string {
  return `140105t${randomBytes(3).toString('hex')}`;
}

function enterprise(id: string) {
  return {
    id,
    name: `测试粉尘企业 ${id}`,
    region: { province: '140000', city: '140100', county: '140105' },
    industries: ['metal-dust'],
    hazards: ['explosive-dust'],
    dustWorkers: 40,
    classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
    connectionRequiredBy: '2024-12-31',
  };
}

function point(
  enterpriseId: string,
  gatewayId: string,
  code: string,
  kind: string,
  unit: string,
  max: number,
) {
  return { enterpriseId, code, name: code, kind, unit, gatewayId, range: { min: 0, max } };
}

/**
 * A small registry with unique enterprise ids (so MQTT topics never collide with other tests or
 * simulators): `gateways` of the given enterprises, each with fresh credentials, and two dust
 * points per enterprise (TT-1 hopper temperature ℃, PDT-1 differential pressure Pa).
 */
export function testRegistry(spec: { enterpriseId: string; gatewayIds: string[] }[]): {
  document: RegistryDocument;
  gateways: TestGateway[];
} {
  const gateways: TestGateway[] = spec.flatMap((s) =>
    s.gatewayIds.map((gatewayId) => ({
      enterpriseId: s.enterpriseId,
      gatewayId,
      mqttPassword: `pw-${randomBytes(9).toString('base64url')}`,
      httpToken: `tok_${randomBytes(18).toString('base64url')}`,
    })),
  );
  const document = RegistryDocument.parse({
    enterprises: spec.map((s) => enterprise(s.enterpriseId)),
    gateways: gateways.map((g) => ({
      enterpriseId: g.enterpriseId,
      id: g.gatewayId,
      credentials: {
        mqttPasswordHash: hashMqttPassword(g.mqttPassword),
        httpTokenSha256: sha256Hex(g.httpToken),
      },
    })),
    points: spec.flatMap((s) => [
      point(s.enterpriseId, s.gatewayIds[0]!, 'TT-1', 'hopper-temperature', '℃', 200),
      point(s.enterpriseId, s.gatewayIds[0]!, 'PDT-1', 'collector-differential-pressure', 'Pa', 5000),
    ]),
  });
  return { document, gateways };
}
