import { inject } from 'vitest';

export interface ServiceEnv {
  kafkaBrokers: string[];
  questdbHttp: string;
  questdbPg: string;
  redisUrl: string;
  /** The gateways' listener (client id bound to the username). */
  mqttUrl: string;
  /** The service accounts' listener (gateway-ingest, test observers); gateways cannot log in there. */
  mqttServiceUrl: string;
  mqttServiceUser: string;
  mqttServicePassword: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    serviceEnv: ServiceEnv;
  }
}

/** The real services the global setup resolved (local JVM stack or testcontainers). */
export function serviceEnv(): ServiceEnv {
  return inject('serviceEnv');
}
