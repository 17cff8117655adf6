import type { Gateway } from '@yujing/schemas';
import { brokerAuthErrors } from './broker-auth-errors';
import type { AclGrant, BrokerUser } from './broker-user';
import { gatewayBrokerUser } from './gateway-username';

/** An account that is not a registry gateway (e.g. the ingest service) and must survive every rewrite. */
export interface ServiceAccount {
  username: string;
  /** When absent, the hash already in the password file is kept (it was made by mosquitto_passwd). */
  passwordHash?: string;
  grants: AclGrant[];
}

export interface PlanInput {
  /** Every gateway of the registry. */
  gateways: readonly Pick<Gateway, 'enterpriseId' | 'id' | 'credentials'>[];
  serviceAccounts: readonly ServiceAccount[];
  /** The accounts in the files now. */
  current: readonly BrokerUser[];
  /**
   * authoritative: the files hold exactly the service accounts and the registry's gateways
   * (a gateway removed from the registry loses access). additive: accounts already in the
   * files are kept unless the registry redefines them (shared dev brokers, tests).
   */
  mode: 'authoritative' | 'additive';
  /** Usernames to drop even in additive mode (test clean-up). */
  remove?: readonly string[];
}

/**
 * The accounts the broker should have: service accounts first (in the given order), then every
 * other account sorted by username, so the rendered files are stable.
 */
export function planBrokerUsers(input: PlanInput): BrokerUser[] {
  const current = new Map(input.current.map((u) => [u.username, u]));
  const removed = new Set(input.remove ?? []);
  const services: BrokerUser[] = input.serviceAccounts.map((s) => {
    const passwordHash = s.passwordHash ?? current.get(s.username)?.passwordHash;
    if (!passwordHash) {
      throw brokerAuthErrors.YJ_ERR_BROKERAUTH_SERVICE_ACCOUNT_MISSING(
        `service account ${s.username} has no password hash (give one, or keep it in the current password file)`,
        { context: { username: s.username } },
      );
    }
    return { username: s.username, passwordHash, grants: s.grants };
  });
  const reserved = new Set(services.map((s) => s.username));
  const others = new Map<string, BrokerUser>();
  if (input.mode === 'additive') {
    for (const u of input.current)
      if (!reserved.has(u.username) && !removed.has(u.username)) others.set(u.username, u);
  }
  for (const g of input.gateways) {
    const user = gatewayBrokerUser(g);
    if (!reserved.has(user.username) && !removed.has(user.username)) others.set(user.username, user);
  }
  return [
    ...services,
    ...[...others.values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)),
  ];
}
