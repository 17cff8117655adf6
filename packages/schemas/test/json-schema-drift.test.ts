import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonSchemaArtifacts } from '../src/json-schema-artifacts';

// schemas/ as a whole (AsyncAPI, OpenAPI, stale files) is checked by test/unit/contracts.test.ts.
const schemasDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const REGENERATE = 'run `pnpm run docs:generate` and commit schemas/';

describe('schemas/*.schema.json (generated JSON Schema)', () => {
  const artifacts = jsonSchemaArtifacts();

  it.each([...artifacts.keys()])('%s matches the zod contracts', async (name) => {
    const committed = await readFile(`${schemasDir}${name}`, 'utf8').catch(() => '(missing)');
    expect(committed, `${name} drifted: ${REGENERATE}`).toBe(artifacts.get(name));
  });

  it('describes the telemetry limits', () => {
    const telemetry = JSON.parse(artifacts.get('telemetry-message-v1.schema.json')!);
    expect(telemetry.properties.readings).toMatchObject({ minItems: 1, maxItems: 5000 });
    expect(telemetry.required).toEqual(
      expect.arrayContaining(['v', 'gatewayId', 'seq', 'sentAt', 'readings']),
    );
  });
});
