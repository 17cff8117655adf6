import type { Logger } from '@yujing/logger';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  /** Steps in order: stop intake → drain → close clients. Every step runs even if one fails. */
  steps: ShutdownStep[];
  /** Hard deadline for the whole sequence. */
  timeoutMs: number;
  /** Exit the process when done (default true). Tests pass false. */
  exit?: boolean;
}

/**
 * Runs the shutdown steps once, in order, each even when an earlier one failed, and resolves
 * with the exit code (0 when every step succeeded in time).
 */
export async function runShutdown(opts: GracefulShutdownOptions): Promise<number> {
  let failed = false;
  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), opts.timeoutMs).unref(),
  );
  const sequence = (async () => {
    for (const step of opts.steps) {
      try {
        await step.run();
        opts.logger.info({ step: step.name }, 'shutdown step done');
      } catch (err) {
        failed = true;
        opts.logger.error({ step: step.name, err }, 'shutdown step failed');
      }
    }
    return 'done' as const;
  })();
  const outcome = await Promise.race([sequence, deadline]);
  if (outcome === 'timeout') {
    opts.logger.error({ timeoutMs: opts.timeoutMs }, 'shutdown deadline exceeded');
    return 1;
  }
  return failed ? 1 : 0;
}

/**
 * Installs SIGINT/SIGTERM handlers that run the shutdown sequence once and exit. Returns a
 * function that triggers the same shutdown programmatically, and a flag readers can poll.
 */
export function installGracefulShutdown(opts: GracefulShutdownOptions): {
  shutdown: (reason: string) => Promise<number>;
  isShuttingDown: () => boolean;
} {
  let running: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    if (running) return running;
    opts.logger.info({ reason }, 'shutting down');
    running = runShutdown(opts).then((code) => {
      if (opts.exit !== false) process.exit(code);
      return code;
    });
    return running;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { shutdown, isShuttingDown: () => running !== undefined };
}
