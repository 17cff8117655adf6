import { defineErrors } from '@yujing/errors';
import { ALARM_COMMAND_ERRORS } from '@yujing/rules-core';

/** Refusals of alarm commands (the API maps them: 404, 403, 409, 400). Defined in rules-core. */
export const alarmErrors = defineErrors('alarm', ALARM_COMMAND_ERRORS);

export const rulesWorkerErrors = defineErrors('rules-worker', {
  YJ_ERR_RULES_PARTITIONS_MISMATCH: {
    statusCode: 500,
    retryable: false,
    message: 'yj.rules-state.v1, yj.readings.v1 and yj.alarm-commands.v1 must have the same partition count',
  },
  YJ_ERR_RULES_RESTORE_TIMEOUT: {
    statusCode: 503,
    retryable: true,
    message: 'the state changelog did not catch up in time to restore a partition',
  },
});
