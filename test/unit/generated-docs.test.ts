import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineErrors, registeredErrors } from '../../packages/errors/src/index';
import { fieldComments, generateDocs, REPO_ROOT } from '../../scripts/generate-docs';

describe('generated docs', () => {
  // Importing every defineErrors module happens inside generateDocs: a code registered twice
  // with two meanings throws there, so this test fails on a reused code as well as on drift.
  it('docs/config.md and docs/errors.md match the generator (run pnpm run docs:generate)', async () => {
    const docs = await generateDocs();
    expect(Object.keys(docs).sort()).toEqual(['docs/config.md', 'docs/errors.md']);
    for (const [path, text] of Object.entries(docs)) {
      const committed = await readFile(join(REPO_ROOT, path), 'utf8');
      expect(committed, `${path} drifted from scripts/generate-docs.ts`).toBe(text);
    }
  });

  it('every registered code is documented and a code cannot be registered by a second area', async () => {
    await generateDocs();
    const errors = registeredErrors();
    expect(errors.length).toBeGreaterThan(0);
    const errorsDoc = await readFile(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    for (const e of errors) expect(errorsDoc).toContain(`\`${e.code}\``);
    const taken = errors[0]!;
    expect(() =>
      defineErrors('generated-docs-test', {
        [taken.code]: { statusCode: 500, retryable: false, message: 'a second meaning' },
      }),
    ).toThrow(/already registered/);
  });

  it('reads the comment above a schema field when it has no describe()', () => {
    const source = [
      'export const C = z.object({',
      '  /** Kafka bootstrap brokers,',
      '   * comma separated. */',
      "  KAFKA_BROKERS: listVar().default(['a']),",
      '  OPS_PORT: portVar().default(1),',
      '  /** pino level. */',
      "  LOG_LEVEL: logLevelVar().default('info'),",
      '});',
    ].join('\n');
    expect([...fieldComments(source)]).toEqual([
      ['KAFKA_BROKERS', 'Kafka bootstrap brokers, comma separated.'],
      ['LOG_LEVEL', 'pino level.'],
    ]);
  });
});
