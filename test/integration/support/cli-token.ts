import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** A bearer token from the real CLI (`yujing token mint`), signed with the API's secret. */
export async function mintWithCli(
  jwtSecret: string,
  role: string,
  scope: string,
  sub: string,
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/cli/src/bin.ts',
      'token',
      'mint',
      '--role',
      role,
      '--scope',
      scope,
      '--sub',
      sub,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, JWT_SECRET: jwtSecret } },
  );
  return stdout.trim();
}
