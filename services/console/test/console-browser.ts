import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';

export const CONSOLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(CONSOLE_DIR, '../..');

/** Builds the web app with the project's own Vite (the same step `make up` runs), into services/console/dist. */
export async function buildConsoleAssets(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      join(CONSOLE_DIR, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: CONSOLE_DIR, timeout: 120_000 },
  );
}

/**
 * Debian's chromium (deploy/local/ensure-chromium.sh installs it), driven by playwright-core,
 * which downloads no browser. CHROMIUM_PATH overrides the executable.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `no Chromium found (tried ${candidates.join(', ')}): run deploy/local/ensure-chromium.sh or set CHROMIUM_PATH`,
    );
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'],
  });
}
