import { fastParserFor } from '@yujing/schemas';
import type { z } from 'zod';

/** Encodes a record value as UTF-8 JSON. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export type DecodeResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'invalid-json' | 'schema'; error: Error; issues: ReadonlyArray<z.core.$ZodIssue> };

/**
 * Decodes and validates a record value against a zod schema without throwing. A schema with a
 * registered fast parser (`fastParserFor`, e.g. ReadingBatch) skips zod when that parser accepts
 * the value, which it does only where zod would give the same result; anything else goes through
 * zod, so every rejection and its issues come from zod. (Decoding the bytes is ~2 % of JSON.parse
 * here; an ASCII-only latin1 decode saved nothing measurable, so the plain UTF-8 path stays.)
 */
export function decodeJson<S extends z.ZodType>(schema: S, bytes: Buffer | null): DecodeResult<z.output<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes ? bytes.toString('utf8') : 'null');
  } catch (err) {
    return { ok: false, reason: 'invalid-json', error: err as Error, issues: [] };
  }
  const fast = fastParserFor(schema)?.(parsed);
  if (fast !== undefined) return { ok: true, value: fast };
  const result = schema.safeParse(parsed);
  if (!result.success)
    return { ok: false, reason: 'schema', error: result.error, issues: result.error.issues };
  return { ok: true, value: result.data };
}
