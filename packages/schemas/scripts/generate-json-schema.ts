import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { jsonSchemaArtifacts } from '../src/json-schema-artifacts';

/** Writes schemas/*.json from the zod contracts: `pnpm exec tsx packages/schemas/scripts/generate-json-schema.ts`. */
const outDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const files = jsonSchemaArtifacts();
for (const [name, text] of files) await writeFile(`${outDir}${name}`, text);
process.stdout.write(`wrote ${files.size} files to ${outDir}\n`);
