/**
 * Refusal codes of alarm commands. rules-core stays free of dependencies, so it exports the
 * definitions; the rules-worker registers them with `defineErrors('alarm', …)` and the operator
 * API maps `code` of an AlarmCommandResult to `statusCode`.
 */
export const ALARM_COMMAND_ERRORS = {
  YJ_ERR_ALARM_NOT_FOUND: { statusCode: 404, retryable: false, message: 'no such alarm in this enterprise' },
  YJ_ERR_ALARM_FORBIDDEN: {
    statusCode: 403,
    retryable: false,
    message: 'this role may not perform this alarm action',
  },
  YJ_ERR_ALARM_LOOP_ORDER: {
    statusCode: 409,
    retryable: false,
    message: 'closed-loop steps must go verify → dispose → feedback → close, in order',
  },
  YJ_ERR_ALARM_STATE_CONFLICT: {
    statusCode: 409,
    retryable: false,
    message: 'the action does not apply to the alarm in its current state',
  },
  YJ_ERR_ALARM_SHELVE_TOO_LONG: {
    statusCode: 400,
    retryable: false,
    message: 'shelve duration exceeds the maximum shelve time',
  },
} as const;

export type AlarmCommandErrorCode = keyof typeof ALARM_COMMAND_ERRORS;
