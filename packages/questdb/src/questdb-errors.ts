import { defineErrors } from '@yujing/errors';

/** Error codes of @yujing/questdb (documented in docs/errors.md). */
export const questdbErrors = defineErrors('questdb', {
  YJ_ERR_QUESTDB_UNAVAILABLE: {
    statusCode: 503,
    retryable: true,
    message: 'QuestDB did not acknowledge the write (unreachable, timeout or 5xx); nothing was committed',
  },
  YJ_ERR_QUESTDB_ROWS_REJECTED: {
    statusCode: 400,
    retryable: false,
    message: 'QuestDB rejected the rows (schema or type mismatch); re-sending them unchanged cannot succeed',
  },
  YJ_ERR_QUESTDB_QUERY_FAILED: {
    statusCode: 500,
    retryable: true,
    message: 'a QuestDB query over PG wire failed',
  },
  YJ_ERR_QUESTDB_SCHEMA_INVALID: {
    statusCode: 500,
    retryable: false,
    message: 'the QuestDB DDL could not be applied',
  },
  YJ_ERR_QUESTDB_BAD_ARGUMENT: {
    statusCode: 400,
    retryable: false,
    message: 'a query helper got an argument it cannot turn into safe SQL',
  },
});
