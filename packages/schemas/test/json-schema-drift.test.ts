import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonSchemaArtifacts } from '../src/json-schema-artifacts';

const schemasDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const REGENERATE = 'run `pnpm exec tsx packages/schemas/scripts/generate-json-schema.ts` and commit schemas/';

describe('schemas/ (generated JSON Schema and AsyncAPI)', () => {
  const artifacts = jsonSchemaArtifacts();

  it.each([...artifacts.keys()])('%s matches the zod contracts', async (name) => {
    const committed = await readFile(`${schemasDir}${name}`, 'utf8').catch(() => '(missing)');
    expect(committed, `${name} drifted: ${REGENERATE}`).toBe(artifacts.get(name));
  });

  it('holds no stale generated files', async () => {
    const files = (await readdir(schemasDir)).filter((f) => f.endsWith('.json'));
    expect(files.sort(), REGENERATE).toEqual([...artifacts.keys()].sort());
  });

  it('describes the telemetry limits and every AsyncAPI payload reference exists', () => {
    const telemetry = JSON.parse(artifacts.get('telemetry-message-v1.schema.json')!);
    expect(telemetry.properties.readings).toMatchObject({ minItems: 1, maxItems: 5000 });
    expect(telemetry.required).toEqual(
      expect.arrayContaining(['v', 'gatewayId', 'seq', 'sentAt', 'readings']),
    );
    const asyncapi = artifacts.get('asyncapi.json')!;
    for (const [, file] of asyncapi.matchAll(/"\$ref": "\.\/([^"]+)"/g))
      expect(artifacts.has(file!), file).toBe(true);
  });
});
