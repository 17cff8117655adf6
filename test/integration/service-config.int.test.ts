import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Acceptance: "a bad env value makes a service exit non-zero with a message naming the variable".
 * Each service's real main.ts runs as a child process with three bad variables taken from its
 * config schema (a list, a port, a duration); it must exit by itself, non-zero, and stderr must
 * name every one of them (loadConfigOrExit lists each issue as "VAR: message"). Valid secrets are
 * given so only the bad variables are at fault, and they must not be echoed.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Far above a tsx cold start on a loaded 2-core machine; a service still running at this point has not exited on bad config. */
const EXIT_DEADLINE_MS = 60_000;
const SECRET = 'not-a-real-secret-but-long-enough-0123456789';

interface BadConfigCase {
  /** The invalid values; every key must be named on stderr. */
  bad: Record<string, string>;
  /** Valid values of required variables that are not under test. */
  valid?: Record<string, string>;
}

// KAFKA_BROKERS="," is non-empty (an empty value counts as unset and falls back to the default)
// but lists no broker.
const CASES: Record<string, BadConfigCase> = {
  'alert-dispatcher': { bad: { KAFKA_BROKERS: ',', OPS_PORT: 'notaport', WEBHOOK_TIMEOUT_MS: 'soon' } },
  console: { bad: { PORT: 'notaport', OPERATOR_API_URL: 'not a url', SHUTDOWN_TIMEOUT_MS: 'soon' } },
  'gateway-ingest': {
    bad: { KAFKA_BROKERS: ',', HTTP_PORT: 'notaport', GAP_GRACE: 'soon' },
    valid: { MQTT_PASSWORD: SECRET },
  },
  'kafka-ingest': { bad: { KAFKA_BROKERS: ',', OPS_PORT: 'notaport', GAP_GRACE: 'soon' } },
  'operator-api': {
    bad: { KAFKA_BROKERS: ',', PORT: 'notaport', COMMAND_WAIT_MS: 'soon' },
    valid: { JWT_SECRET: SECRET },
  },
  'rules-worker': { bad: { KAFKA_BROKERS: ',', OPS_PORT: 'notaport', TICK_INTERVAL_MS: 'soon' } },
  'store-writer': { bad: { KAFKA_BROKERS: ',', OPS_PORT: 'notaport', FETCH_MAX_WAIT: 'soon' } },
};

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

/** Runs `node --import tsx services/<name>/src/main.ts` with only `env`; kills it at the deadline. */
function runMain(service: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('services', service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, EXIT_DEADLINE_MS);
    child.on('error', (err) => {
      clearTimeout(deadline);
      fail(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      done({ code, signal, stderr, timedOut });
    });
  });
}

async function servicesWithMain(): Promise<string[]> {
  const names = await readdir(join(REPO_ROOT, 'services'));
  const out: string[] = [];
  for (const name of names.sort()) {
    const ok = await stat(join(REPO_ROOT, 'services', name, 'src', 'main.ts')).then(
      () => true,
      () => false,
    );
    if (ok) out.push(name);
  }
  return out;
}

describe('a service given a bad env value', () => {
  it('has a bad-config case for every service with a main.ts', async () => {
    expect(Object.keys(CASES).sort()).toEqual(await servicesWithMain());
  });

  for (const [service, { bad, valid = {} }] of Object.entries(CASES)) {
    it(`${service} exits non-zero and names ${Object.keys(bad).join(', ')}`, async () => {
      // No inherited env (env.sh exports valid KAFKA_BROKERS etc.): only what the case sets.
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...valid, ...bad };
      const exit = await runMain(service, env);
      expect(
        exit.timedOut,
        `${service} was still running after ${EXIT_DEADLINE_MS} ms:\n${exit.stderr}`,
      ).toBe(false);
      expect(exit.signal, exit.stderr).toBeNull();
      expect(exit.code, exit.stderr).not.toBe(0);
      for (const name of Object.keys(bad)) {
        expect(exit.stderr, `stderr of ${service} does not name ${name}`).toMatch(
          new RegExp(`^\\s*${name}:`, 'm'),
        );
      }
      for (const name of Object.keys(valid)) {
        expect(exit.stderr, `stderr of ${service} names the valid ${name}`).not.toMatch(
          new RegExp(`^\\s*${name}:`, 'm'),
        );
      }
      expect(exit.stderr, `${service} echoed a secret`).not.toContain(SECRET);
    });
  }
});
