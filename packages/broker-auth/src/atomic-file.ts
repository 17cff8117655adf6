import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { brokerAuthErrors } from './broker-auth-errors';

/** Reads a file, or '' when it does not exist. */
export async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/**
 * Replaces a file atomically: write a sibling temp file (mode 0600: it holds password hashes),
 * then rename over the target, so the broker never reads half a file.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL create) next to the files, so several
 * writers (the sync loop, tests, the CLI) read-modify-write the files one at a time. A lock
 * older than `staleMs` is taken over (its holder died).
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  opts: { timeoutMs?: number; staleMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const staleMs = opts.staleMs ?? 30_000;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleMs) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw brokerAuthErrors.YJ_ERR_BROKERAUTH_LOCK_TIMEOUT(`lock ${lockPath} still held`, {
          context: { lockPath },
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}
