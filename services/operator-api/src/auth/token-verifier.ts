import { issuesToRecords } from '@yujing/schemas';
import { jwtVerify } from 'jose';
import { apiErrors } from '../api-errors';
import { type Principal, principalFromClaims, TokenClaims } from './principal';

export interface TokenVerifier {
  /** Resolves the principal of an `Authorization` header value; throws YJ_ERR_AUTH_* otherwise. */
  verify(authorization: string | undefined): Promise<Principal>;
}

/** Verifies HS256 bearer JWTs signed with the shared secret and checks their claims. */
export function createTokenVerifier(opts: { secret: string; issuer: string }): TokenVerifier {
  const key = new TextEncoder().encode(opts.secret);
  return {
    async verify(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m?.[1]) throw apiErrors.YJ_ERR_AUTH_MISSING('expected "Authorization: Bearer <token>"');
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(m[1], key, {
          algorithms: ['HS256'],
          issuer: opts.issuer,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw apiErrors.YJ_ERR_AUTH_INVALID(`bearer token rejected: ${(err as Error).message}`);
      }
      const claims = TokenClaims.safeParse(payload);
      if (!claims.success) {
        const first = issuesToRecords(claims.error.issues)[0];
        throw apiErrors.YJ_ERR_AUTH_INVALID(`bearer token claims invalid: ${first?.path}: ${first?.message}`);
      }
      return principalFromClaims(claims.data);
    },
  };
}
