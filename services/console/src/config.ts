import { boolVar, durationMs, logLevelVar, portVar, secretVar, urlVar } from '@yujing/config';
import { z } from 'zod';

/**
 * console configuration, read once in main.ts with loadConfigOrExit. The console serves the
 * built web app and forwards `/api/*` to operator-api, so the browser talks to one origin
 * (no CORS, the API keeps its bearer-token auth unchanged).
 */
export const ConsoleConfig = z
  .object({
    /** TCP port of the console (web app, /api forward, /healthz, /readyz, /metrics). */
    PORT: portVar().default(8090).describe('HTTP port of the console'),
    /** Bind address; loopback by default so a dev machine does not expose the console. */
    HOST: z.string().min(1).default('127.0.0.1').describe('bind address (0.0.0.0 in containers)'),
    /** Where operator-api answers; every /api/* request (SSE included) is forwarded there. */
    OPERATOR_API_URL: urlVar().default('http://127.0.0.1:8080').describe('base URL of operator-api'),
    /** The Vite build (index.html + hashed assets); `pnpm --filter @yujing/console build` writes it. */
    CONSOLE_DIST_DIR: z
      .string()
      .min(1)
      .optional()
      .describe('directory of the built web app (default: services/console/dist)'),
    /**
     * Demo-only sign-in that mints tokens for the fixture personas. Off unless set, and refused unless
     * NODE_ENV=development (deploy/local/services-env.sh sets both for `make up` / `make demo`).
     */
    CONSOLE_DEV_SIGN_IN: boolVar()
      .default(false)
      .describe('offer the demo personas sign-in (needs NODE_ENV=development)'),
    /** Signing key of the dev sign-in: the operator-api JWT_SECRET. Needed only with CONSOLE_DEV_SIGN_IN. */
    JWT_SECRET: secretVar(32)
      .optional()
      .describe('HS256 key shared with operator-api (secret; dev sign-in only)'),
    /** iss claim of minted dev tokens (operator-api's JWT_ISSUER). */
    JWT_ISSUER: z.string().min(1).default('yujing').describe('iss claim of dev sign-in tokens'),
    /** The enterprise the demo "enterprise" persona belongs to (a fixture enterprise). */
    CONSOLE_DEV_ENTERPRISE_ID: z
      .string()
      .regex(/^[0-9A-Za-z]{6,18}$/)
      .default('140108ST01')
      .describe('enterprise id of the dev sign-in enterprise persona'),
    /** Lifetime of a dev sign-in token. */
    CONSOLE_DEV_TOKEN_TTL: z
      .string()
      .regex(/^\d+(m|h)$/)
      .default('12h')
      .describe('lifetime of dev sign-in tokens, e.g. 30m, 12h'),
    NODE_ENV: z.string().optional().describe('CONSOLE_DEV_SIGN_IN is accepted only with development'),
    /** Hard deadline of graceful shutdown. */
    SHUTDOWN_TIMEOUT_MS: durationMs().default(10_000).describe('graceful shutdown deadline (duration)'),
    LOG_LEVEL: logLevelVar().default('info').describe('log level'),
  })
  .superRefine((c, ctx) => {
    if (!c.CONSOLE_DEV_SIGN_IN) return;
    if (c.NODE_ENV !== 'development')
      ctx.addIssue({
        code: 'custom',
        path: ['CONSOLE_DEV_SIGN_IN'],
        message: `the dev sign-in mints tokens for anyone; it needs NODE_ENV=development (is ${c.NODE_ENV ?? 'unset'})`,
      });
    if (!c.JWT_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'CONSOLE_DEV_SIGN_IN needs JWT_SECRET (the operator-api signing key)',
      });
  });
export type ConsoleConfig = z.output<typeof ConsoleConfig>;
