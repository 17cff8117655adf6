import { defineErrors } from '@yujing/errors';

/** Error codes of the alert dispatcher (docs/errors.md). */
export const dispatcherErrors = defineErrors('alert-dispatcher', {
  YJ_ERR_DISPATCH_SUBSCRIPTION_GONE: {
    statusCode: 410,
    retryable: false,
    message: 'the webhook subscription of a delivery no longer exists or is disabled',
  },
  YJ_ERR_DISPATCH_TARGET_FORBIDDEN: {
    statusCode: 422,
    retryable: false,
    message:
      'the webhook URL resolves to a loopback/private address that is not allowed (SSRF guard) or is invalid',
  },
  YJ_ERR_DISPATCH_WEBHOOK_FAILED: {
    statusCode: 502,
    retryable: true,
    message: 'the webhook receiver did not answer 2xx in time',
  },
  YJ_ERR_DISPATCH_JOB_INVALID: {
    statusCode: 500,
    retryable: false,
    message: 'a queue job does not match its schema in @yujing/queues',
  },
});
