import { mintToken } from '@yujing/cli';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemBody } from './console-errors';
import type { DevPersona } from './dev-personas';

export interface DevSignIn {
  personas: DevPersona[];
  secret: string;
  issuer: string;
  ttl: string;
}

const Body = z.object({ persona: z.string().min(1).max(64) });

/**
 * `GET /console/session-options` tells the web app whether the demo sign-in exists (and its
 * personas); `POST /console/dev-sign-in {persona}` mints that persona's token with the same
 * claims as `yujing token mint`. Without a DevSignIn (production) the mint route does not
 * exist (404) and the web app offers only "paste a token".
 */
export function installDevSignIn(app: FastifyInstance, dev: DevSignIn | undefined): void {
  app.get('/console/session-options', async () => ({
    devSignIn: dev !== undefined,
    personas: (dev?.personas ?? []).map((p) => ({ id: p.id, label: p.label, role: p.role, scope: p.scope })),
  }));
  if (!dev) return;
  app.post('/console/dev-sign-in', async (req, reply) => {
    const parsed = Body.safeParse(req.body);
    const persona = parsed.success ? dev.personas.find((p) => p.id === parsed.data.persona) : undefined;
    if (!persona)
      return reply
        .code(400)
        .type('application/problem+json')
        .send(
          problemBody(
            'YJ_ERR_CONSOLE_PERSONA',
            `body.persona: expected one of ${dev.personas.map((p) => p.id).join(', ')}`,
          ),
        );
    const token = await mintToken(
      {
        role: persona.role,
        scope: persona.scope,
        name: persona.name,
        sub: `demo-${persona.id}`,
        ttl: dev.ttl,
        issuer: dev.issuer,
      },
      dev.secret,
    );
    return { token, persona: persona.id };
  });
}
