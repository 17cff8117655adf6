import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import { createTestTopics, serviceEnv, type TestTopics } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `yujing` CLI as `make install` builds it (packages/cli/build.mjs → one .mjs file), run on
 * plain node without tsx: help and exit codes, and `registry publish` against the real Kafka.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FLEET = join(REPO_ROOT, 'simulators/fixtures/registry');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the built yujing CLI (no tsx at run time)', () => {
  let dir: string;
  let cli: string;
  let topics: TestTopics;

  const run = async (args: string[], env: Record<string, string> = {}): Promise<Run> => {
    // A clean environment: no NODE_OPTIONS (tsx loader) reaches the child.
    const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
        env: childEnv,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yujing-cli-'));
    cli = join(dir, 'yujing.mjs');
    await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'packages/cli/build.mjs'), cli]);
    topics = await createTestTopics({ partitions: 1, label: 'cli' });
  });

  afterAll(async () => {
    await topics?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one self-contained file that answers --help with 0 and a bad invocation with 2', async () => {
    expect(await readFile(cli, 'utf8')).not.toMatch(/from ['"]tsx|\.ts['"]\)/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: yujing <group> <command>/);
    expect((await run(['registry', 'publish'])).code).toBe(2);
    const unknown = await run(['registry', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('publishes the fixture registry to the real Kafka, and again publishes nothing', async () => {
    const env = { KAFKA_BROKERS: serviceEnv().kafkaBrokers.join(','), TOPIC_PREFIX: topics.prefix };
    const first = await run(['registry', 'publish', FLEET], env);
    expect(first.stderr).not.toMatch(/"level":"error"/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^published [1-9]\d* changed entities, 0 tombstones \(20 enterprises/);
    const again = await run(['registry', 'publish', FLEET], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^published 0 changed entities/);

    const reader = new RegistryReader({
      kafka: topics.kafka,
      prefix: topics.prefix,
      logger: createLogger({ service: 'built-cli-test', level: 'warn' }),
    });
    await reader.start();
    try {
      expect(reader.store.enterprises()).toHaveLength(20);
    } finally {
      await reader.stop();
    }
  });
});
