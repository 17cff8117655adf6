import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out before a line is written. Secrets reach logs mostly through config
 * objects, HTTP headers and error contexts, so those shapes are covered one and two levels deep.
 */
export const REDACT_PATHS = [
  'password',
  'secret',
  'token',
  'authorization',
  'apiKey',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.apiKey',
  '*.*.password',
  '*.*.secret',
  '*.*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-yujing-signature"]',
];

export interface CreateLoggerOptions {
  /** Service or tool name, written as `service` on every line. */
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go; stdout by default. Tests pass a stream to capture output. */
  destination?: pino.DestinationStream;
  base?: Record<string, unknown>;
}

/** The one logger factory: pino JSON on stdout with redaction and ISO timestamps. */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service, pid: process.pid, ...opts.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
