/**
 * Docker Compose's variable interpolation, enough to read docker-compose.yml as `docker compose
 * --env-file` would: `$$` is a literal `$`; `${VAR}` / `$VAR`; `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset); `${VAR:?message}` / `${VAR?message}` fail when the variable is missing.
 * Nested interpolation inside a default is not supported (the compose file does not use it).
 */
export class MissingVariableError extends Error {}

const TOKEN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolate(text: string, env: Readonly<Record<string, string>>, used?: Set<string>): string {
  return text.replace(TOKEN, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    used?.add(name);
    const value = env[name];
    switch (op) {
      case ':-':
        return value === undefined || value === '' ? (arg ?? '') : value;
      case '-':
        return value === undefined ? (arg ?? '') : value;
      case ':?':
      case '?':
        if (value === undefined || (op === ':?' && value === '')) {
          throw new MissingVariableError(`${name}: ${arg || 'required variable is not set'}`);
        }
        return value;
      default:
        return value ?? '';
    }
  });
}

/** Interpolates every string inside a parsed YAML value (keys are left alone, as Compose does). */
export function interpolateDeep(
  value: unknown,
  env: Readonly<Record<string, string>>,
  used?: Set<string>,
): unknown {
  if (typeof value === 'string') return interpolate(value, env, used);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env, used));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env, used)]));
  }
  return value;
}

/** Reads a dotenv file the way `docker compose --env-file` does for simple KEY=value lines. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not KEY=value: "${line}"`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return env;
}
