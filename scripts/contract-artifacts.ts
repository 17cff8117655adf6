/**
 * Everything under `schemas/`, generated from the code: the JSON Schema of each published zod
 * contract (packages/schemas), the AsyncAPI document of the MQTT topics and the Kafka topic
 * catalogue (packages/kafka), and the operator-api OpenAPI document it serves at /docs/json.
 * scripts/generate-docs.ts writes them (`pnpm run docs:generate`); test/unit/contracts.test.ts
 * fails when a committed file differs.
 */

export const SCHEMAS_DIR = 'schemas';
export const ASYNCAPI_FILE = `${SCHEMAS_DIR}/asyncapi.json`;
export const OPENAPI_FILE = `${SCHEMAS_DIR}/operator-api.openapi.json`;
export const REGENERATE_CONTRACTS = 'run `pnpm run docs:generate` and commit schemas/';

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Repository-relative path under schemas/ → file content (pretty JSON, trailing newline). */
export async function contractArtifacts(): Promise<Record<string, string>> {
  // Relative imports, as in generate-docs.ts (the repository root is not a workspace package), and
  // loaded here rather than at the top, so importing generate-docs.ts does not build the API.
  const { jsonSchemaArtifacts } = await import('../packages/schemas/src/json-schema-artifacts');
  const { asyncApiDocument } = await import('../packages/kafka/src/asyncapi-document');
  const { openApiDocument } = await import('../services/operator-api/src/openapi-document');
  const out: Record<string, string> = {};
  for (const [name, content] of jsonSchemaArtifacts()) out[`${SCHEMAS_DIR}/${name}`] = content;
  out[ASYNCAPI_FILE] = text(asyncApiDocument());
  out[OPENAPI_FILE] = text(await openApiDocument());
  return out;
}
