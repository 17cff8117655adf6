import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface ServiceSpec {
  name: string;
  /** The env variable carrying the port of its HTTP listener (/readyz). */
  portVar: string;
  env?: Record<string, string>;
  /** A fixed port (to restart a service where its clients expect it); a free one when absent. */
  port?: number;
}

export interface RunningService {
  name: string;
  port: number;
  child: ChildProcess;
  logFile: string;
}

/** A free loopback port (the OS picks it; a tiny race with other processes is acceptable in tests). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * The real services as child processes (`node --import tsx src/main.ts`, as services.sh runs
 * them), each on its own port with the given env, logs in `logDir`. Resolves when every
 * /readyz answers 200; fails with the log tail if one exits or misses the deadline.
 */
export async function startServices(
  specs: readonly ServiceSpec[],
  common: Record<string, string>,
  logDir: string,
  readyTimeoutMs = 150_000,
): Promise<RunningService[]> {
  await mkdir(logDir, { recursive: true });
  const running: RunningService[] = [];
  for (const spec of specs) {
    const port = spec.port ?? (await freePort());
    const logFile = join(logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    // YJ_SERVICE_NODE_ARGS: extra node flags for every service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
    // to profile the services under the pipeline bench (NODE_OPTIONS refuses --cpu-prof).
    const nodeArgs = (process.env.YJ_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const args = [`--title=yj-e2e-${spec.name}`, ...nodeArgs, '--import', 'tsx', 'src/main.ts'];
    const child = spawn(process.execPath, args, {
      cwd: join(REPO_ROOT, 'services', spec.name),
      env: { ...process.env, ...common, ...spec.env, [spec.portVar]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    running.push({ name: spec.name, port, child, logFile });
  }
  const deadline = Date.now() + readyTimeoutMs;
  try {
    // Polls /readyz with a deadline (not testkit's waitFor: the pipeline bench reuses this outside vitest).
    await Promise.all(
      running.map(async (s) => {
        for (;;) {
          if (s.child.exitCode !== null) throw new ServiceExited(s, await tail(s.logFile));
          const res = await fetch(`http://127.0.0.1:${s.port}/readyz`).catch(() => undefined);
          if (res?.ok) return;
          if (Date.now() > deadline)
            throw new Error(`${s.name} not ready after ${readyTimeoutMs} ms\n${await tail(s.logFile)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }),
    );
  } catch (err) {
    await stopServices(running);
    throw err;
  }
  return running;
}

class ServiceExited extends Error {
  constructor(s: RunningService, logTail: string) {
    super(`${s.name} exited with ${s.child.exitCode} before it was ready\n${logTail}`);
  }
}

/** SIGTERM in reverse order (graceful shutdown), SIGKILL after 20 s. */
export async function stopServices(running: readonly RunningService[]): Promise<void> {
  for (const s of [...running].reverse()) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
    const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

async function tail(file: string, lines = 40): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}
