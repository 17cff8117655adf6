export { YujingError, isYujingError, type YujingErrorOptions } from './yujing-error';
export { defineErrors, registeredErrors, type ErrorDefinition, type ErrorFactory } from './error-registry';
export { commonErrors } from './common-errors';
