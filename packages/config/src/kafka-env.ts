import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { boolVar, type Secret, secretVar } from './env-types';

/**
 * The Kafka connection-security variables every service shares (spread into its config object:
 * `...KAFKA_SECURITY_ENV`). PLAINTEXT by default so the local stack works unchanged; the SASL
 * mode of deploy/local (`YJ_KAFKA_SECURITY=sasl`) and production set SASL_PLAINTEXT or SASL_SSL
 * with a SCRAM account per service (docs/access-control.md, "Kafka").
 */
export const KAFKA_SECURITY_ENV = {
  KAFKA_SECURITY_PROTOCOL: z
    .enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'])
    .default('PLAINTEXT')
    .describe('Kafka listener protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL'),
  KAFKA_SASL_MECHANISM: z
    .enum(['SCRAM-SHA-256', 'SCRAM-SHA-512'])
    .default('SCRAM-SHA-512')
    .describe('SASL mechanism with SASL_PLAINTEXT / SASL_SSL'),
  KAFKA_SASL_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe("the service's SCRAM user (its Kafka principal)"),
  KAFKA_SASL_PASSWORD: secretVar().optional().describe("the service's SCRAM password (secret, never logged)"),
  KAFKA_SSL_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM file of the CA that signed the brokers (SSL / SASL_SSL)'),
  KAFKA_SSL_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM client certificate for mutual TLS (optional)'),
  KAFKA_SSL_KEY_FILE: z.string().min(1).optional().describe('PEM private key of KAFKA_SSL_CERT_FILE'),
  KAFKA_SSL_REJECT_UNAUTHORIZED: boolVar()
    .default(true)
    .describe('refuse a broker certificate the CA does not vouch for (turn off only for a throwaway test)'),
};

export interface KafkaSecurityEnv {
  KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: Secret | undefined;
  KAFKA_SSL_CA_FILE?: string | undefined;
  KAFKA_SSL_CERT_FILE?: string | undefined;
  KAFKA_SSL_KEY_FILE?: string | undefined;
  KAFKA_SSL_REJECT_UNAUTHORIZED: boolean;
}

/** What `createKafka` (in @yujing/kafka) takes as `security`; the password stays a Secret. */
export interface KafkaSecurity {
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: Secret };
}

/**
 * Turns the variables into client options; throws a message naming the variables when SASL lacks
 * a user or password, a key lacks its certificate, or a PEM file cannot be read.
 */
export function kafkaSecurityOf(env: KafkaSecurityEnv): KafkaSecurity {
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  const out: KafkaSecurity = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
      throw new Error('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (mutual TLS needs both)');
    }
    out.tls = {
      rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
      ...(env.KAFKA_SSL_CA_FILE && { ca: readPem('KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE) }),
      ...(env.KAFKA_SSL_CERT_FILE && { cert: readPem('KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE) }),
      ...(env.KAFKA_SSL_KEY_FILE && { key: readPem('KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE) }),
    };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
      throw new Error(
        `KAFKA_SECURITY_PROTOCOL=${protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
      );
    }
    out.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM === 'SCRAM-SHA-256' ? 'scram-sha-256' : 'scram-sha-512',
      username: env.KAFKA_SASL_USERNAME,
      password: env.KAFKA_SASL_PASSWORD,
    };
  }
  return out;
}

function readPem(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${variable}: cannot read ${path} (${(err as Error).message})`);
  }
}
