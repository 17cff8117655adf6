export { commonErrors } from './common-errors';
export { defineErrors, type ErrorDefinition, type ErrorFactory, registeredErrors } from './error-registry';
export { isYujingError, YujingError, type YujingErrorOptions } from './yujing-error';
