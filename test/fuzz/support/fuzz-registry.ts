import { randomBytes } from 'node:crypto';
import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { RegistryDocument } from '@yujing/schemas';

export interface FuzzGateway {
  enterpriseId: string;
  gatewayId: string;
  mqttPassword: string;
  httpToken: string;
}

/** The fleet the fuzz run speaks for: unique ids, so no other test or simulator shares its topics. */
export interface FuzzFleet {
  document: RegistryDocument;
  /** The enterprise every fuzz message is sent for. */
  enterpriseId: string;
  /** Another registered enterprise, for foreign claims. */
  foreignEnterpriseId: string;
  /** One sending gateway per transport (gateway-ingest orders each gateway's seqs on its own). */
  senders: { mqtt: FuzzGateway; http: FuzzGateway; kafka: FuzzGateway };
  /** A registered gateway of the same enterprise that never sends. */
  sibling: FuzzGateway;
  /** The foreign enterprise's gateway (its HTTP token is used for the foreign-token case). */
  foreign: FuzzGateway;
  /** A point only the foreign enterprise has. */
  foreignPoint: string;
  gateways: FuzzGateway[];
}

function enterprise(id: string) {
  return {
    id,
    name: `模糊测试企业 ${id}`,
    region: { province: '140000', city: '140100', county: '140105' },
    industries: ['metal-dust'],
    hazards: ['explosive-dust'],
    dustWorkers: 20,
    classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
    connectionRequiredBy: '2024-12-31',
  };
}

const gateway = (enterpriseId: string, gatewayId: string): FuzzGateway => ({
  enterpriseId,
  gatewayId,
  mqttPassword: `pw-${randomBytes(9).toString('base64url')}`,
  httpToken: `tok_${randomBytes(18).toString('base64url')}`,
});

/** Two enterprises in 太原小店 (140105) with fresh credentials; points TT-1 and PDT-1 in the first. */
export function fuzzFleet(): FuzzFleet {
  const tag = randomBytes(3).toString('hex');
  const E = `140105f${tag}`;
  const F = `140105g${tag}`;
  const senders = { mqtt: gateway(E, 'gw-mqtt'), http: gateway(E, 'gw-http'), kafka: gateway(E, 'gw-kafka') };
  const sibling = gateway(E, 'gw-sibling');
  const foreign = gateway(F, 'gw-foreign');
  const gateways = [senders.mqtt, senders.http, senders.kafka, sibling, foreign];
  const point = (
    enterpriseId: string,
    code: string,
    kind: string,
    unit: string,
    max: number,
    gw: string,
  ) => ({
    enterpriseId,
    code,
    name: code,
    kind,
    unit,
    gatewayId: gw,
    range: { min: 0, max },
  });
  const document = RegistryDocument.parse({
    enterprises: [enterprise(E), enterprise(F)],
    gateways: gateways.map((g) => ({
      enterpriseId: g.enterpriseId,
      id: g.gatewayId,
      credentials: {
        mqttPasswordHash: hashMqttPassword(g.mqttPassword),
        httpTokenSha256: sha256Hex(g.httpToken),
      },
    })),
    points: [
      point(E, 'TT-1', 'hopper-temperature', '℃', 200, 'gw-mqtt'),
      point(E, 'PDT-1', 'collector-differential-pressure', 'Pa', 5000, 'gw-mqtt'),
      point(F, 'TT-9', 'hopper-temperature', '℃', 200, 'gw-foreign'),
    ],
  });
  return {
    document,
    enterpriseId: E,
    foreignEnterpriseId: F,
    senders,
    sibling,
    foreign,
    foreignPoint: 'TT-9',
    gateways,
  };
}
