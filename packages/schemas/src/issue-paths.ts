import type { z } from 'zod';

/** zod issues as `{path, message, code}` with a dotted path, for dead letters and problem+json. */
export function issuesToRecords(
  issues: ReadonlyArray<z.core.$ZodIssue>,
): { path: string; message: string; code: string }[] {
  return issues.map((i) => ({
    path: i.path.length === 0 ? '(root)' : i.path.map(String).join('.'),
    message: i.message,
    code: i.code,
  }));
}
