import { defineErrors } from '@yujing/errors';

/** Error codes of @yujing/broker-auth (documented in docs/errors.md). */
export const brokerAuthErrors = defineErrors('broker-auth', {
  YJ_ERR_BROKERAUTH_SERVICE_ACCOUNT_MISSING: {
    statusCode: 500,
    retryable: false,
    message: 'a service account has no password hash, neither given nor in the current password file',
  },
  YJ_ERR_BROKERAUTH_LOCK_TIMEOUT: {
    statusCode: 503,
    retryable: true,
    message: 'another writer held the broker auth files lock past the deadline',
  },
  YJ_ERR_BROKERAUTH_RELOAD_FAILED: {
    statusCode: 503,
    retryable: true,
    message: 'the broker could not be told to reload its password file and ACL',
  },
  YJ_ERR_BROKERAUTH_USERNAME_INVALID: {
    statusCode: 400,
    retryable: false,
    message: 'an MQTT username would break the password file or ACL syntax',
  },
});
