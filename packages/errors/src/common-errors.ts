import { defineErrors } from './error-registry';

/** Errors shared by every service: configuration and lifecycle. */
export const commonErrors = defineErrors('common', {
  YJ_ERR_CONFIG_INVALID: { statusCode: 500, retryable: false, message: 'configuration is invalid' },
  YJ_ERR_SHUTDOWN_TIMEOUT: {
    statusCode: 500,
    retryable: false,
    message: 'graceful shutdown exceeded its deadline',
  },
  YJ_ERR_DEPENDENCY_UNAVAILABLE: { statusCode: 503, retryable: true, message: 'a dependency is unavailable' },
});
