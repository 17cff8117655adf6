import type { Logger } from '@yujing/logger';
import type { TokenRevocations } from './auth/token-revocation';
import type { CommandBus, DeliveryQueue, HistoryStore, RegistryView, RegistryWriter } from './collaborators';
import type { AlarmEventHub } from './feed/alarm-event-hub';
import type { SupervisionStore } from './storage/supervision-store';

/** Everything route modules share, handed down by build(). */
export interface RouteContext {
  registry: RegistryView;
  hub: AlarmEventHub;
  bus: CommandBus;
  history: HistoryStore;
  deliveries: DeliveryQueue;
  registryWriter: RegistryWriter;
  log: Logger;
  commandWaitMs: number;
  heartbeatMs: number;
  /** Grace for the transition after an applied result (ms). */
  transitionGraceMs: number;
  now: () => number;
  /** The jti deny-list (POST /admin/tokens/revoke writes it, the token verifier reads it). */
  revocations: TokenRevocations;
  /** Longest token lifetime in seconds (JWT_MAX_TTL_MS). */
  maxTokenLifetimeS: number;
  /** Webhook subscription URLs must be https (NODE_ENV=production). */
  webhooksRequireHttps: boolean;
  /** Hazards, tip-offs and inspections (ADR 0003). */
  supervision: SupervisionStore;
}
