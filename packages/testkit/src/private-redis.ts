import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './wait-for';

/** A free TCP port on loopback (the OS picks it; it is released before the caller binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own (the Debian binary `redis-server`) on a private port and data
 * directory, for fault tests that kill Redis: the shared Redis on 6379 is never touched. With
 * `appendonly` (the default) it runs like the stack's: AOF, fsync every second, no RDB snapshots.
 */
export class PrivateRedis {
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly appendonly: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(opts: { appendonly?: boolean } = {}): Promise<PrivateRedis> {
    const r = new PrivateRedis(
      await freePort(),
      await mkdtemp(join(tmpdir(), 'yj-private-redis-')),
      opts.appendonly ?? true,
    );
    await r.launch();
    return r;
  }

  async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.appendonly ? 'yes' : 'no',
      '--appendfsync',
      'everysec',
      '--daemonize',
      'no',
      '--logfile',
      join(this.dir, 'redis.log'),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.#child = child;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        const probe = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => {});
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 15_000, message: `private redis-server on ${this.port} answering PING` },
    );
  }

  /**
   * Waits until `fragment` is in the AOF files on disk, i.e. what a kill -9 keeps. With
   * `appendfsync everysec` Redis may hold a write back while an fsync is slow (a loaded machine), so a
   * test that crashes Redis right after a write waits for this first instead of racing the flush.
   */
  async waitForAof(fragment: string, timeoutMs = 15_000): Promise<void> {
    const aofDir = join(this.dir, 'appendonlydir');
    await waitFor(
      async () => {
        const names = await readdir(aofDir).catch(() => [] as string[]);
        for (const name of names.filter((n) => n.endsWith('.aof'))) {
          if ((await readFile(join(aofDir, name), 'utf8')).includes(fragment)) return true;
        }
        return false;
      },
      { timeoutMs, message: `'${fragment}' written to the AOF in ${aofDir}` },
    );
  }

  /** SIGKILL: no shutdown save, exactly what a crash does. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  /** kill -9, then start again on the same port and data directory (AOF replayed at start). */
  async restart(): Promise<void> {
    await this.kill9();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill9();
    await rm(this.dir, { recursive: true, force: true });
  }
}
