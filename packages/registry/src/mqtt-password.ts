import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Mosquitto 2.x defaults for `$7$` hashes (mosquitto_passwd): PBKDF2-SHA512, 101 iterations, 12-byte salt. */
const ITERATIONS = 101;
const SALT_BYTES = 12;
const KEY_BYTES = 64;
const HASH_PATTERN = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * Hashes an MQTT password in Mosquitto's `$7$<iterations>$<salt b64>$<hash b64>` form, usable in
 * its password file and verifiable here. `salt` is for deterministic fixtures only.
 */
export function hashMqttPassword(plain: string, opts: { salt?: Buffer; iterations?: number } = {}): string {
  const salt = opts.salt ?? randomBytes(SALT_BYTES);
  const iterations = opts.iterations ?? ITERATIONS;
  const hash = pbkdf2Sync(plain, salt, iterations, KEY_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a `$7$` hash in constant time; false for a malformed hash. */
export function verifyMqttPassword(plain: string, hash: string): boolean {
  const m = HASH_PATTERN.exec(hash);
  if (!m) return false;
  const iterations = Number(m[1]);
  const expected = Buffer.from(m[3]!, 'base64');
  if (iterations < 1 || expected.length === 0) return false;
  const actual = pbkdf2Sync(plain, Buffer.from(m[2]!, 'base64'), iterations, expected.length, 'sha512');
  return timingSafeEqual(actual, expected);
}

/** The digest under which an HTTP bearer token is stored (sha256, lowercase hex). */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
