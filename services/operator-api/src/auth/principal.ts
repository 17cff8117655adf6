import { RegionScope } from '@yujing/schemas';
import { z } from 'zod';

/** Roles a bearer token of the API may carry (gateway tokens are for ingest only). */
export const ApiRole = z.enum(['operator', 'regulator', 'enterprise', 'admin']);
export type ApiRole = z.infer<typeof ApiRole>;

/**
 * The claims of an API bearer JWT (HS256), as minted by `yujing token mint`:
 * `{ sub, role, scope: {level, code}, name?, iss, iat, exp, jti }`. An enterprise token is
 * scoped to its enterprise; every other role to a province, city or county code.
 */
export const TokenClaims = z
  .object({
    sub: z.string().min(1).max(128),
    role: ApiRole,
    scope: RegionScope,
    name: z.string().max(128).optional(),
    jti: z.string().min(1).max(128).optional(),
  })
  .superRefine((c, ctx) => {
    const isEnterprise = c.scope.level === 'enterprise';
    if ((c.role === 'enterprise') !== isEnterprise)
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'level'],
        message:
          c.role === 'enterprise'
            ? 'an enterprise token needs an enterprise scope'
            : `a ${c.role} token needs a province, city or county scope`,
      });
    if (!isEnterprise && !/^\d{6}$/.test(c.scope.code))
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'code'],
        message: 'expected a 6-digit administrative code',
      });
  });
export type TokenClaims = z.infer<typeof TokenClaims>;

/** Who is calling: the verified claims of the bearer token. */
export interface Principal {
  id: string;
  role: ApiRole;
  scope: RegionScope;
  name?: string;
  /** Rate-limit key: the token id (jti) or the subject. */
  tokenKey: string;
}

export function principalFromClaims(c: TokenClaims): Principal {
  return {
    id: c.sub,
    role: c.role,
    scope: c.scope,
    ...(c.name !== undefined ? { name: c.name } : {}),
    tokenKey: c.jti ?? c.sub,
  };
}
