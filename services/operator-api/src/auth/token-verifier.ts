import { issuesToRecords } from '@yujing/schemas';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { apiErrors } from '../api-errors';
import { type Principal, principalFromClaims, TokenClaims } from './principal';

export interface TokenVerifier {
  /** Resolves the principal of an `Authorization` header value; throws YJ_ERR_AUTH_* otherwise. */
  verify(authorization: string | undefined): Promise<Principal>;
}

/** Answers whether a token id was revoked (a local copy of the deny-list: no I/O per request). */
export interface RevocationCheck {
  isRevoked(jti: string): boolean;
}

export interface TokenVerifierOptions {
  /** HS256 shared secret (dev, single-party deployments); absent = HS256 tokens are refused. */
  secret?: string | undefined;
  /** Public keys (EdDSA, RS256, ES256) by `kid`, so the API verifies without holding a signing key. */
  publicKeys?: JSONWebKeySet | undefined;
  /** JWKS URL of an external issuer (fetched and cached by jose, refetched for an unknown `kid`). */
  jwksUrl?: string | undefined;
  issuer: string;
  /** Required `aud`; a token naming another audience is always refused. */
  audience: string;
  /** Refuse tokens without `aud` (production). Dev and test accept them, for tokens minted before `aud`. */
  requireAudience: boolean;
  /** Longest allowed `exp - iat`, in seconds: a leaked long-lived token is refused even if validly signed. */
  maxLifetimeS: number;
  revocation?: RevocationCheck | undefined;
}

const ASYMMETRIC = ['EdDSA', 'RS256', 'ES256'] as const;

/**
 * Verifies bearer JWTs: HS256 with the shared secret, or EdDSA/RS256/ES256 with a public key picked
 * by `kid` from the local key set or the issuer's JWKS URL. Then issuer, audience, lifetime,
 * revocation and the claims' shape (docs/access-control.md).
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const secret = opts.secret !== undefined ? new TextEncoder().encode(opts.secret) : undefined;
  const local = opts.publicKeys ? createLocalJWKSet(opts.publicKeys) : undefined;
  const remote = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(local || remote ? ASYMMETRIC : [])];
  if (algorithms.length === 0) throw new Error('token verifier: no secret, public keys or JWKS URL');

  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') {
      if (!secret) throw new Error('HS256 tokens are not accepted here (no JWT_SECRET)');
      return secret;
    }
    if (local) {
      try {
        return await local(header, token);
      } catch (err) {
        if (!remote) throw err;
      }
    }
    if (remote) return remote(header, token);
    throw new Error(`alg ${header.alg} is not accepted here (no public keys)`);
  };

  return {
    async verify(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m?.[1]) throw apiErrors.YJ_ERR_AUTH_MISSING('expected "Authorization: Bearer <token>"');
      const jwt = m[1];
      let payload: JWTPayload;
      try {
        const alg = decodeProtectedHeader(jwt).alg;
        if (alg === undefined || !algorithms.includes(alg)) throw new Error(`alg ${alg} is not accepted`);
        ({ payload } = await jwtVerify(jwt, keyFor, {
          algorithms,
          issuer: opts.issuer,
          ...(namesAudience(jwt) || opts.requireAudience ? { audience: opts.audience } : {}),
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (err) {
        throw apiErrors.YJ_ERR_AUTH_INVALID(`bearer token rejected: ${(err as Error).message}`);
      }
      const lifetime = (payload.exp as number) - (payload.iat as number);
      if (lifetime > opts.maxLifetimeS)
        throw apiErrors.YJ_ERR_AUTH_INVALID(
          `bearer token rejected: lifetime exp - iat = ${lifetime} s exceeds the maximum ${opts.maxLifetimeS} s`,
        );
      if (payload.jti !== undefined && opts.revocation?.isRevoked(payload.jti))
        throw apiErrors.YJ_ERR_AUTH_INVALID(`bearer token rejected: token ${payload.jti} was revoked`);
      const claims = TokenClaims.safeParse(payload);
      if (!claims.success) {
        const first = issuesToRecords(claims.error.issues)[0];
        throw apiErrors.YJ_ERR_AUTH_INVALID(`bearer token claims invalid: ${first?.path}: ${first?.message}`);
      }
      return principalFromClaims(claims.data);
    },
  };
}

/** True when the (not yet verified) payload names an audience: then it must be ours, whatever the mode. */
function namesAudience(jwt: string): boolean {
  try {
    return decodeJwt(jwt).aud !== undefined;
  } catch {
    return true; // unreadable: jwtVerify refuses it anyway
  }
}
