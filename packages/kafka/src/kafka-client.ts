import type { Logger } from '@yujing/logger';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

export interface KafkaClientOptions {
  clientId: string;
  brokers: readonly string[];
  logger: Logger;
  /** Connection and request timeouts; kafkajs defaults are tuned for WANs. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries of a single request before kafkajs gives up (callers add their own outer loop). */
  retries?: number;
  /**
   * TLS and SASL/SCRAM (from `kafkaSecurityOf` in @yujing/config). Absent = PLAINTEXT. The
   * password is revealed only here, into kafkajs; it is never logged.
   */
  security?: KafkaClientSecurity;
}

export interface KafkaClientSecurity {
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: { reveal(): string } };
}

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go through pino (JSON, with the service's fields). */
export function createKafka(opts: KafkaClientOptions): Kafka {
  const log = opts.logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    retry: { retries: opts.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        // kafkajs repeats connection errors at WARN/ERROR while a broker is down; keep them, they are actionable.
        log[LEVEL[level] ?? 'info'](rest, message);
      },
  };
  const { tls, sasl } = opts.security ?? {};
  if (tls) config.ssl = { ...tls };
  if (sasl) {
    const { mechanism, username, password } = sasl;
    config.sasl =
      mechanism === 'scram-sha-256'
        ? { mechanism, username, password: password.reveal() }
        : { mechanism, username, password: password.reveal() };
  }
  return new Kafka(config);
}
