import { appendFile } from 'node:fs/promises';
import http from 'node:http';
import { resolve } from 'node:path';
import { boolVar, loadConfigOrExit, logLevelVar, portVar } from '@yujing/config';
import { DUTY_ROBOT_BASE, fixturesRegistryDir } from '@yujing/fixtures';
import { createLogger } from '@yujing/logger';
import { loadRegistryDir } from '@yujing/registry';
import { z } from 'zod';
import { DutyRobotInbox } from './duty-robot-inbox';

/**
 * The duty people's chat robots for `make demo` (`tsx simulators/regulator/src/duty-robot-main.ts`):
 * stands in for DingTalk's and WeCom's robot endpoints on 127.0.0.1:9812, checks each request,
 * prints the message and appends a line to the record file the demo terminal tails.
 */
const Config = z.object({
  REGISTRY_DIR: z.string().optional(),
  DUTY_ROBOT_PORT: portVar().default(9812),
  DUTY_ROBOT_RECORD_FILE: z.string().default('.run/regulator-deliveries.jsonl'),
  DUTY_ROBOT_PRINT: boolVar().default(true),
  LOG_LEVEL: logLevelVar().default('info'),
});
const config = loadConfigOrExit('duty-robot-receiver', Config);
const logger = createLogger({ service: 'duty-robot-receiver', level: config.LOG_LEVEL });
const { document, problems } = await loadRegistryDir(config.REGISTRY_DIR ?? fixturesRegistryDir);
if (problems.length > 0) {
  logger.fatal({ problems }, 'registry has problems');
  process.exit(1);
}
const inbox = new DutyRobotInbox(
  document.people,
  DUTY_ROBOT_BASE.replace(/:\d+$/, `:${config.DUTY_ROBOT_PORT}`),
);
const recordFile = config.DUTY_ROBOT_RECORD_FILE ? resolve(config.DUTY_ROBOT_RECORD_FILE) : undefined;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return void res.writeHead(200).end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const out = inbox.handle(req.url ?? '/', Buffer.concat(chunks).toString('utf8'), Date.now());
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    const { text, ...line } = out.line;
    if (config.DUTY_ROBOT_PRINT)
      process.stdout.write(
        `${line.outcome === 'accepted' ? '' : `REJECTED ${line.reason}: `}${line.subscriptionId}\n${text ?? ''}\n\n`,
      );
    if (recordFile)
      void appendFile(recordFile, `${JSON.stringify(line)}\n`).catch((err) =>
        logger.warn({ err }, 'record failed'),
      );
    logger.info(
      { path: line.path, outcome: line.outcome, to: line.subscriptionId, reason: line.reason },
      'robot message',
    );
  });
});
await new Promise<void>((r) => server.listen(config.DUTY_ROBOT_PORT, '127.0.0.1', r));
logger.info(
  { port: config.DUTY_ROBOT_PORT, robots: inbox.size, recordFile },
  'duty robot receiver listening',
);

const stop = (signal: string) => {
  logger.info({ signal }, 'stopping');
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
