/**
 * JWT secrets committed to this repository (local stack, compose example, .env example). They pass
 * the length check, so without this list a deployment that forgot to set its own would accept tokens
 * anyone with the source can mint. They are accepted only with NODE_ENV=development or test
 * (deploy/local/services-env.sh sets development for the local stack and `make demo`).
 * services/operator-api/test/token-verifier.test.ts fails when a committed secret is missing here.
 */
export const KNOWN_DEV_JWT_SECRETS: readonly string[] = [
  'yujing-local-dev-jwt-secret-NOT-FOR-PRODUCTION', // deploy/local/services-env.sh
  'change-me-jwt-secret-at-least-32-characters-long', // deploy/compose/.env.example
  'change-me-to-a-long-random-secret-of-32-chars-or-more', // docker-compose.yml (before compose/.env)
  'change-me-to-a-long-random-secret-000000', // services/operator-api/.env.example
];

/** A dev secret, or any value still saying "change-me" / "not-for-production". */
export function isKnownDevSecret(secret: string): boolean {
  return KNOWN_DEV_JWT_SECRETS.includes(secret) || /change-?me|not-for-production/i.test(secret);
}
