import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KAFKA_SECURITY_ENV, kafkaSecurityOf } from '../src/kafka-env';
import { loadConfig } from '../src/load-config';

const Schema = z.object({ ...KAFKA_SECURITY_ENV });
const load = (env: Record<string, string>) => kafkaSecurityOf(loadConfig(Schema, env));

describe('Kafka security variables', () => {
  it('defaults to PLAINTEXT: no TLS, no SASL', () => {
    expect(load({})).toEqual({});
  });

  it('builds SCRAM options and keeps the password a secret', () => {
    const s = load({
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'yj-kafka-ingest',
      KAFKA_SASL_PASSWORD: 'hunter2-hunter2',
    });
    expect(s.sasl?.mechanism).toBe('scram-sha-256');
    expect(s.sasl?.password.reveal()).toBe('hunter2-hunter2');
    expect(JSON.stringify(s)).not.toContain('hunter2');
    expect(inspect(s, { depth: 5 })).not.toContain('hunter2');
    expect(s.tls).toBeUndefined();
  });

  it('refuses SASL without a user or password, naming the variables', () => {
    expect(() => load({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'x' })).toThrow(
      /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
  });

  it('reads the CA for SSL and refuses a certificate without its key or an unreadable file', () => {
    const ca = join(tmpdir(), `yj-ca-${process.pid}.pem`);
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    expect(load({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: ca }).tls).toEqual({
      rejectUnauthorized: true,
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    expect(() => load({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: ca })).toThrow(/go together/);
    expect(() => load({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      /KAFKA_SSL_CA_FILE: cannot read/,
    );
  });

  it('refuses an unknown protocol', () => {
    expect(() => load({ KAFKA_SECURITY_PROTOCOL: 'SASL' })).toThrow(/KAFKA_SECURITY_PROTOCOL/);
  });
});
