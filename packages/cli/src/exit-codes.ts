/**
 * The exit codes of every `yujing` command (packages/cli/README.md), so scripts can tell a
 * refused invocation from a failed run:
 * - 0: done;
 * - 1: the command ran and failed (registry problems, broker unreachable, API refused the token …);
 * - 2: usage — unknown group/command/option, a missing or malformed argument, or a required
 *   environment variable (e.g. JWT_SECRET) unset; the command did nothing.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
