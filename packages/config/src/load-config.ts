import { commonErrors } from '@yujing/errors';
import type { z } from 'zod';

export type EnvSource = Record<string, string | undefined>;

/** Formats zod issues as "VAR: message" lines, one per problem. */
export function formatConfigIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string[] {
  return issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.map(String).join('.') : '(env)';
    return `${name}: ${issue.message}`;
  });
}

/**
 * Validates the environment against a service's zod object schema, once, at start. Empty
 * strings count as unset so `FOO=` falls back to the default. The result is deeply frozen.
 * Throws YJ_ERR_CONFIG_INVALID listing every problem with the variable name.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: EnvSource = process.env,
): Readonly<z.output<S>> {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = formatConfigIssues(result.error.issues);
    throw commonErrors.YJ_ERR_CONFIG_INVALID(`invalid configuration:\n  ${lines.join('\n  ')}`, {
      context: { variables: result.error.issues.map((i) => i.path.map(String).join('.')) },
    });
  }
  return deepFreeze(result.data);
}

/**
 * For main.ts: load the config or print every problem to stderr and exit non-zero.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  service: string,
  schema: S,
  env: EnvSource = process.env,
): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    process.stderr.write(`${service}: ${(err as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    if (Object.getPrototypeOf(value) === Object.prototype || Array.isArray(value)) {
      for (const v of Object.values(value as object)) deepFreeze(v);
      Object.freeze(value);
    }
  }
  return value;
}
