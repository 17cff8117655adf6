import { defineErrors } from '@yujing/errors';

/** Error codes of @yujing/registry (documented in docs/errors.md). */
export const registryErrors = defineErrors('registry', {
  YJ_ERR_REGISTRY_KEY_INVALID: {
    statusCode: 400,
    retryable: false,
    message: 'registry record key is not "<kind>/<id>" with a known kind',
  },
  YJ_ERR_REGISTRY_RECORD_INVALID: {
    statusCode: 400,
    retryable: false,
    message: 'registry record or entity does not match its schema',
  },
  YJ_ERR_REGISTRY_READER_STATE: {
    statusCode: 500,
    retryable: false,
    message: 'registry reader used in the wrong state (started twice or not started)',
  },
});
