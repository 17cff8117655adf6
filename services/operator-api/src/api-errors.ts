import { defineErrors } from '@yujing/errors';

/** Error codes of operator-api (documented in docs/api.md and docs/errors.md). */
export const apiErrors = defineErrors('operator-api', {
  YJ_ERR_AUTH_MISSING: { statusCode: 401, retryable: false, message: 'a bearer token is required' },
  YJ_ERR_AUTH_INVALID: {
    statusCode: 401,
    retryable: false,
    message: 'the bearer token is invalid or expired',
  },
  YJ_ERR_AUTH_FORBIDDEN: {
    statusCode: 403,
    retryable: false,
    message: 'the role or scope of the token does not allow this',
  },
  YJ_ERR_API_VALIDATION: {
    statusCode: 400,
    retryable: false,
    message: 'the request does not match its schema',
  },
  YJ_ERR_API_NOT_FOUND: { statusCode: 404, retryable: false, message: 'no such resource' },
  YJ_ERR_API_RATE_LIMITED: { statusCode: 429, retryable: true, message: 'too many requests for this token' },
  YJ_ERR_API_CONFLICT: {
    statusCode: 409,
    retryable: false,
    message: 'the action conflicts with the current state',
  },
  YJ_ERR_API_COMMAND_REFUSED: {
    statusCode: 422,
    retryable: false,
    message: 'the rules-worker refused the command',
  },
  YJ_ERR_API_STORAGE_UNAVAILABLE: {
    statusCode: 503,
    retryable: true,
    message: 'history storage is unavailable',
  },
  YJ_ERR_API_STREAMS_FULL: {
    statusCode: 503,
    retryable: true,
    message: 'this instance holds its maximum of open streams; retry (another instance may take it)',
  },
  YJ_ERR_API_INTERNAL: { statusCode: 500, retryable: false, message: 'internal error' },
});

/**
 * HTTP status for the codes the rules-worker puts on a refused AlarmCommandResult (its own
 * registry owns those codes; the API only maps them). Unknown codes → 422.
 */
export const WORKER_REFUSAL_STATUS: Readonly<Record<string, number>> = {
  YJ_ERR_ALARM_LOOP_ORDER: 409,
  YJ_ERR_ALARM_FORBIDDEN: 403,
  YJ_ERR_ALARM_NOT_FOUND: 404,
  YJ_ERR_ALARM_STATE_CONFLICT: 409,
  YJ_ERR_ALARM_SHELVE_TOO_LONG: 422,
};
