import { YujingError, type YujingErrorOptions } from './yujing-error';

/** Definition of one error code: what it means and how callers should treat it. */
export interface ErrorDefinition {
  statusCode: number;
  retryable: boolean;
  /** Human summary used in docs/errors.md and as the default message. */
  message: string;
}

export type ErrorFactory = ((message?: string, opts?: YujingErrorOptions) => YujingError) & {
  readonly code: string;
  readonly definition: ErrorDefinition;
  /** True when `err` is a YujingError with this code. */
  is(err: unknown): err is YujingError;
};

const CODE_PATTERN = /^YJ_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)+$/;
const registered = new Map<string, { area: string; definition: ErrorDefinition }>();

/**
 * Declares the error codes of one package or service. Codes are global: registering a code
 * twice (from two areas, or the same area loaded twice with a different meaning) throws, so a
 * code is never reused for a second meaning.
 */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(
  area: string,
  definitions: T,
): { [K in keyof T]: ErrorFactory } {
  const out = {} as { [K in keyof T]: ErrorFactory };
  for (const [code, definition] of Object.entries(definitions)) {
    if (!CODE_PATTERN.test(code)) throw new Error(`error code ${code} does not match YJ_ERR_<AREA>_<WHAT>`);
    const existing = registered.get(code);
    if (existing && (existing.area !== area || existing.definition.message !== definition.message)) {
      throw new Error(`error code ${code} is already registered by ${existing.area}`);
    }
    registered.set(code, { area, definition });
    const factory = ((message?: string, opts?: YujingErrorOptions) =>
      new YujingError(
        code,
        message ?? definition.message,
        definition.statusCode,
        definition.retryable,
        opts,
      )) as ErrorFactory;
    Object.defineProperties(factory, {
      code: { value: code },
      definition: { value: Object.freeze({ ...definition }) },
      is: { value: (err: unknown) => err instanceof YujingError && err.code === code },
    });
    (out as Record<string, ErrorFactory>)[code] = factory;
  }
  return out;
}

/** Every code registered so far in this process, for docs generation and uniqueness tests. */
export function registeredErrors(): ReadonlyArray<{ code: string; area: string } & ErrorDefinition> {
  return [...registered.entries()]
    .map(([code, { area, definition }]) => ({ code, area, ...definition }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
