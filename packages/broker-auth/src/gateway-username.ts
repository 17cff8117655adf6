import type { Gateway } from '@yujing/schemas';
import type { BrokerUser } from './broker-user';

/**
 * The MQTT username of a gateway: `<enterpriseId>.<gatewayId>`. No ':' (the password-file
 * separator); enterprise ids never contain '.', so the first dot splits it unambiguously.
 */
export function gatewayUsername(enterpriseId: string, gatewayId: string): string {
  return `${enterpriseId}.${gatewayId}`;
}

export function parseGatewayUsername(
  username: string,
): { enterpriseId: string; gatewayId: string } | undefined {
  const dot = username.indexOf('.');
  if (dot <= 0 || dot === username.length - 1) return undefined;
  return { enterpriseId: username.slice(0, dot), gatewayId: username.slice(dot + 1) };
}

/** A gateway may publish (telemetry, retained status, its will) only under `yj/v1/<enterprise>/<gateway>/#`. */
export function gatewayBrokerUser(gateway: Pick<Gateway, 'enterpriseId' | 'id' | 'credentials'>): BrokerUser {
  return {
    username: gatewayUsername(gateway.enterpriseId, gateway.id),
    passwordHash: gateway.credentials.mqttPasswordHash,
    grants: [{ access: 'write', topic: `yj/v1/${gateway.enterpriseId}/${gateway.id}/#` }],
  };
}
