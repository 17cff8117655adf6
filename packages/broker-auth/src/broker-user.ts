import { brokerAuthErrors } from './broker-auth-errors';

/** One ACL grant, as a Mosquitto `topic <access> <pattern>` line. */
export interface AclGrant {
  access: 'read' | 'write' | 'readwrite';
  topic: string;
}

/** One broker account: a `username:hash` password-file line and a `user` block in the ACL. */
export interface BrokerUser {
  username: string;
  /** Mosquitto `$7$` PBKDF2-SHA512 hash (or any hash the broker accepts). */
  passwordHash: string;
  grants: AclGrant[];
}

/** Usernames and topics end up in line-oriented files: no separators, spaces or control characters. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/** Printable, no whitespace: one token on a `topic` line. */
const SAFE_TOPIC = /^[!-~\u0080-\uffff]+$/;

export function assertSafeUser(user: BrokerUser): void {
  if (!SAFE.test(user.username)) {
    throw brokerAuthErrors.YJ_ERR_BROKERAUTH_USERNAME_INVALID(
      `MQTT username "${user.username}" is not allowed`,
      {
        context: { username: user.username },
      },
    );
  }
  if (/[\s:]/.test(user.passwordHash) || user.passwordHash.length === 0) {
    throw brokerAuthErrors.YJ_ERR_BROKERAUTH_USERNAME_INVALID(
      `password hash of ${user.username} is malformed`,
      {
        context: { username: user.username },
      },
    );
  }
  for (const g of user.grants) {
    if (!SAFE_TOPIC.test(g.topic)) {
      throw brokerAuthErrors.YJ_ERR_BROKERAUTH_USERNAME_INVALID(
        `ACL topic "${g.topic}" of ${user.username} is not allowed`,
        {
          context: { username: user.username },
        },
      );
    }
  }
}
