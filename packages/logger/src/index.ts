export { type CreateLoggerOptions, createLogger, type Logger, REDACT_PATHS } from './create-logger';
