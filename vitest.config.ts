import { defineConfig } from 'vitest/config';

/**
 * The test projects (`vitest run --project <name>`):
 * - unit: pure code, no I/O (`*.test.ts`);
 * - integration: against the real Kafka, QuestDB, Redis and Mosquitto (`*.int.test.ts`);
 * - fault: stop/restart Kafka or QuestDB mid-stream (`*.fault.test.ts`), run alone after the others;
 * - e2e: whole-pipeline scenarios across running services (`test/e2e/*.e2e.test.ts`).
 * - browser: the web console in headless Chromium against running services (`*.browser.test.ts`).
 * Integration and e2e share a global setup that resolves the real services (env vars set by
 * `make test`, or testcontainers when a Docker engine exists) and fails loudly otherwise.
 */
const sources = ['packages', 'services', 'simulators'];
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            ...sources.map((s) => `${s}/*/test/**/*.test.ts`),
            'bench/test/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          exclude: [
            '**/*.int.test.ts',
            '**/*.fault.test.ts',
            '**/*.e2e.test.ts',
            '**/*.browser.test.ts',
            '**/node_modules/**',
          ],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            ...sources.map((s) => `${s}/*/test/**/*.int.test.ts`),
            'test/integration/**/*.int.test.ts',
            // bad-input fuzzing against real service processes; FUZZ_MESSAGES sets the count (make fuzz)
            'test/fuzz/**/*.fuzz.test.ts',
          ],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        // Fault tests stop and restart Kafka or QuestDB, so they run alone, after the others.
        test: {
          name: 'fault',
          include: [...sources.map((s) => `${s}/*/test/**/*.fault.test.ts`), 'test/fault/**/*.fault.test.ts'],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        // The web console in real headless Chromium (Debian's chromium via playwright-core) against
        // the real services; deploy/local/ensure-chromium.sh brings the browser.
        test: {
          name: 'browser',
          include: ['services/*/test/**/*.browser.test.ts'],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
