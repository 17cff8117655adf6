import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@yujing/config';
import { createLogger } from '@yujing/logger';
import { createMetricsRegistry, installGracefulShutdown } from '@yujing/service-runtime';
import { buildConsole } from './app';
import { ConsoleConfig } from './config';
import { devPersonas } from './dev-personas';

const SERVICE = 'console';
const config = loadConfigOrExit(SERVICE, ConsoleConfig);
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const distDir = config.CONSOLE_DIST_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

let shuttingDown = false;
const { app } = await buildConsole({
  logger,
  distDir,
  operatorApiUrl: config.OPERATOR_API_URL,
  ...(config.CONSOLE_DEV_SIGN_IN && config.JWT_SECRET
    ? {
        devSignIn: {
          personas: devPersonas(config.CONSOLE_DEV_ENTERPRISE_ID),
          secret: config.JWT_SECRET.reveal(),
          issuer: config.JWT_ISSUER,
          ttl: config.CONSOLE_DEV_TOKEN_TTL,
        },
      }
    : {}),
  metrics: createMetricsRegistry(SERVICE),
  isShuttingDown: () => shuttingDown,
});

await app.listen({ host: config.HOST, port: config.PORT });
logger.info(
  {
    host: config.HOST,
    port: config.PORT,
    operatorApi: config.OPERATOR_API_URL,
    distDir,
    devSignIn: config.CONSOLE_DEV_SIGN_IN,
  },
  'console listening',
);
if (config.CONSOLE_DEV_SIGN_IN)
  logger.warn('dev sign-in is on: anyone reaching the console can mint demo tokens');

installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  steps: [
    {
      name: 'mark not ready',
      run: () => {
        shuttingDown = true;
      },
    },
    // Ends forwarded streams (preClose), finishes in-flight requests, stops listening.
    { name: 'close http server', run: () => app.close() },
  ],
});
