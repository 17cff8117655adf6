import { defineErrors } from '@yujing/errors';

/** Error codes of gateway-ingest's HTTP API (problem+json `code`; documented in docs/errors.md). */
export const ingestErrors = defineErrors('gateway-ingest', {
  YJ_ERR_INGEST_UNAUTHENTICATED: {
    statusCode: 401,
    retryable: false,
    message: 'missing or unknown gateway bearer token',
  },
  YJ_ERR_INGEST_FORBIDDEN: {
    statusCode: 403,
    retryable: false,
    message: 'the token belongs to another gateway or enterprise than the message claims',
  },
  YJ_ERR_INGEST_OVERSIZE: {
    statusCode: 413,
    retryable: false,
    message: 'message larger than 1 MiB or 5,000 readings',
  },
  YJ_ERR_INGEST_INVALID_JSON: { statusCode: 400, retryable: false, message: 'body is not JSON' },
  YJ_ERR_INGEST_SCHEMA: {
    statusCode: 422,
    retryable: false,
    message: 'message does not match the native v1 format',
  },
  YJ_ERR_INGEST_UNKNOWN_ENTITY: {
    statusCode: 422,
    retryable: false,
    message: 'enterprise, gateway or point not registered',
  },
  YJ_ERR_INGEST_READINGS_REJECTED: {
    statusCode: 422,
    retryable: false,
    message: 'every reading of the message was rejected',
  },
  YJ_ERR_INGEST_UNSUPPORTED_MEDIA: {
    statusCode: 415,
    retryable: false,
    message: 'body must be application/json',
  },
  YJ_ERR_INGEST_UNAVAILABLE: {
    statusCode: 503,
    retryable: true,
    message: 'Kafka did not acknowledge in time; retry',
  },
  YJ_ERR_INGEST_OVERLOADED: {
    statusCode: 503,
    retryable: true,
    message: 'too many requests in flight; retry',
  },
});
