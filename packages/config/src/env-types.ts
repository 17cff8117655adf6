import { z } from 'zod';

/**
 * zod building blocks for environment variables. Env values are strings; these coerce them to
 * what the service needs and fail with a message a person can act on.
 */

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "250ms", "5s", "2m", "1h", "7d" or a bare number of milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1));
}

/** A duration variable, returned in milliseconds. */
export const durationMs = () =>
  z.string().transform((raw, ctx) => {
    const ms = parseDurationMs(raw);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 500ms, 5s, 2m or 1h, got "${raw}"` });
      return z.NEVER;
    }
    return ms;
  });

/** An integer variable within bounds. */
export const intVar = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

/** A TCP port. */
export const portVar = () => intVar(0, 65535);

/** "true/false/1/0/yes/no/on/off" as a boolean. */
export const boolVar = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** A comma separated list of non-empty strings. */
export const listVar = () =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(z.string()).min(1));

/** A URL variable. */
export const urlVar = () => z.string().url();

/**
 * A secret never prints itself: toString, toJSON and util.inspect show "[redacted]". Call
 * reveal() only where the value is handed to the client that needs it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

/** A secret variable of at least `minLength` characters. */
export const secretVar = (minLength = 1) =>
  z
    .string()
    .min(minLength)
    .transform((v) => new Secret(v));

export const logLevelVar = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
