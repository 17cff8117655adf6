import type { z } from 'zod';

/** Encodes a record value as UTF-8 JSON. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export type DecodeResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'invalid-json' | 'schema'; error: Error; issues: ReadonlyArray<z.core.$ZodIssue> };

/** Decodes and validates a record value against a zod schema without throwing. */
export function decodeJson<S extends z.ZodType>(schema: S, bytes: Buffer | null): DecodeResult<z.output<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes ? bytes.toString('utf8') : 'null');
  } catch (err) {
    return { ok: false, reason: 'invalid-json', error: err as Error, issues: [] };
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    return { ok: false, reason: 'schema', error: result.error, issues: result.error.issues };
  return { ok: true, value: result.data };
}
