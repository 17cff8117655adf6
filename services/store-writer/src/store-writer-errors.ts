import { defineErrors } from '@yujing/errors';

export const storeWriterErrors = defineErrors('store-writer', {
  YJ_ERR_STOREWRITER_STOPPED: {
    statusCode: 503,
    retryable: true,
    message:
      'store-writer stopped while QuestDB was unavailable; the batch stays uncommitted and is consumed again',
  },
});
