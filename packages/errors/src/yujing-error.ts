/**
 * The one error base of yujing. Every error the system raises on purpose carries a stable
 * `code` (YJ_ERR_<AREA>_<WHAT>), the HTTP status an API would answer with, and whether a
 * retry could succeed. `context` holds identifiers (enterprise, point, alarm, topic) — never
 * payloads or secrets — and is kept non-enumerable so a careless `log.error(err)` or
 * JSON.stringify cannot leak it beyond what the caller chose to log.
 */
export interface YujingErrorOptions {
  cause?: unknown;
  context?: Record<string, unknown>;
}

export class YujingError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly retryable: boolean;
  declare readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    statusCode = 500,
    retryable = false,
    opts: YujingErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'YujingError';
    this.code = code;
    this.statusCode = statusCode;
    this.retryable = retryable;
    Object.defineProperty(this, 'context', {
      value: Object.freeze({ ...(opts.context ?? {}) }),
      enumerable: false,
    });
  }

  toJSON(): { code: string; message: string; statusCode: number; retryable: boolean } {
    return { code: this.code, message: this.message, statusCode: this.statusCode, retryable: this.retryable };
  }
}

export function isYujingError(err: unknown): err is YujingError {
  return err instanceof YujingError;
}
