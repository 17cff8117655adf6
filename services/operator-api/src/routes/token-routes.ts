import { commonErrors } from '@yujing/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';

/**
 * Token revocation (the `jti` deny-list). Any admin may revoke: revoking only takes access away,
 * and token ids are random UUIDs, so they cannot be guessed.
 */
export const tokenRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/admin/tokens/revoke',
      {
        schema: {
          tags: ['admin'],
          summary:
            'Revoke a bearer token by its jti: every instance refuses it within JWT_REVOCATION_REFRESH_MS',
          body: z.object({
            jti: z.string().min(1).max(128),
            until: z
              .number()
              .int()
              .positive()
              .optional()
              .describe(
                'epoch seconds, normally the token’s exp (default: now + the maximum token lifetime)',
              ),
          }),
          response: {
            200: z.object({ jti: z.string(), revokedUntil: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'tokens');
        const nowS = Math.floor(ctx.now() / 1000);
        const until = Math.min(req.body.until ?? nowS + ctx.maxTokenLifetimeS, nowS + ctx.maxTokenLifetimeS);
        if (until <= nowS)
          throw apiErrors.YJ_ERR_API_VALIDATION('body.until: already past; the token has expired anyway', {
            context: { issues: [{ path: 'body.until', message: 'already past' }] },
          });
        try {
          await ctx.revocations.revoke(req.body.jti, until);
        } catch (err) {
          throw commonErrors.YJ_ERR_DEPENDENCY_UNAVAILABLE('the revocation could not be stored (Redis)', {
            cause: err,
          });
        }
        ctx.log.info({ actor: p.id, jti: req.body.jti, until }, 'token revoked');
        return { jti: req.body.jti, revokedUntil: until };
      },
    );
  };
