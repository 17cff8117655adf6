import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Scenario } from './scenario-schema';

/** Absolute path of simulators/scenarios, where the shipped scenario files live. */
export const scenariosDir = fileURLToPath(new URL('../../scenarios', import.meta.url));

export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid scenario\n  ${problems.join('\n  ')}`);
  }
}

/** Parses and validates one scenario document; problems name the field path. */
export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScenarioFileError(file, [`(document): ${(err as Error).message}`]);
  }
  const result = Scenario.safeParse(raw);
  if (!result.success) {
    throw new ScenarioFileError(
      file,
      result.error.issues.map(
        (i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`,
      ),
    );
  }
  if (result.data.id !== basename(file).replace(/\.(ya?ml|json)$/, ''))
    throw new ScenarioFileError(file, [`id: "${result.data.id}" must match the file name`]);
  return result.data;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  return parseScenario(await readFile(file, 'utf8'), file);
}

/** Every *.yaml / *.yml / *.json scenario of a directory, sorted by id. */
export async function loadScenarioDir(dir: string = scenariosDir): Promise<Scenario[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return Promise.all(files.map((f) => loadScenarioFile(join(dir, f))));
}
