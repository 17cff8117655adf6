import type { ServiceAccount } from './plan-broker-users';

/**
 * The ingest service's account: reads every gateway topic (its shared subscriptions
 * `$share/<group>/yj/v1/+/+/telemetry` are checked against the filter without the prefix).
 * Without a hash, the one in the current password file is kept.
 */
export function ingestServiceAccount(username: string, passwordHash?: string): ServiceAccount {
  return {
    username,
    ...(passwordHash ? { passwordHash } : {}),
    grants: [{ access: 'read', topic: 'yj/v1/#' }],
  };
}
