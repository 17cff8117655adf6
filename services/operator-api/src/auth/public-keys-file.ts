import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

/** One public key of a JWKS file: a `kid` to be picked by, and no private part. */
const PublicJwk = z
  .looseObject({
    kty: z.enum(['OKP', 'RSA', 'EC']),
    kid: z.string().min(1),
    alg: z.enum(['EdDSA', 'RS256', 'ES256']).optional(),
  })
  .refine((k) => !('d' in k), { message: 'holds a private key ("d"): the API needs the public key only' });
const PublicKeySet = z.object({ keys: z.array(PublicJwk).min(1) });

/**
 * Reads JWT_PUBLIC_KEYS_FILE (`yujing token keygen` writes one). Throws an Error naming the file
 * and the first problem (unreadable, not JSON, a key without kid, a private key), for the fatal
 * startup log.
 */
export function readPublicKeysFile(path: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`JWT_PUBLIC_KEYS_FILE ${path}: ${(err as Error).message}`);
  }
  const keys = PublicKeySet.safeParse(parsed);
  if (!keys.success) {
    const first = keys.error.issues[0];
    throw new Error(`JWT_PUBLIC_KEYS_FILE ${path}: ${first?.path.join('.') || 'file'}: ${first?.message}`);
  }
  return keys.data as JSONWebKeySet;
}
