import type {
  AlarmCommand,
  AlarmKind,
  AlarmLevel,
  AlarmState,
  AlarmTransitionEvent,
  ClassCode,
  DeliveryRecord,
  DutyRoster,
  Enterprise,
  EscalationPolicy,
  Gateway,
  LoopState,
  Person,
  Platform,
  Point,
  RegistryDocument,
  RegistryEntityKind,
  RuleTemplate,
  WebhookSubscription,
} from '@yujing/schemas';

/**
 * What `build(deps)` needs from the outside world, as narrow interfaces. main.ts wires the real
 * ones (Kafka, QuestDB, BullMQ, @yujing/registry); route tests pass plain in-memory versions.
 */

/** Sends an AlarmCommand to `yj.alarm-commands.v1` (resolves once Kafka has it). */
export interface CommandBus {
  send(command: AlarmCommand): Promise<void>;
}

export interface AlarmQuery {
  /** Enterprises the caller may see (scope ∩ filters), or undefined = no enterprise restriction. */
  enterpriseIds?: readonly string[];
  states?: readonly AlarmState[];
  levels?: readonly AlarmLevel[];
  kinds?: readonly AlarmKind[];
  /** Closed-loop states of the latest transition (GET /loops asks for every state but closed). */
  loops?: readonly LoopState[];
  /** Last transition time window (epoch ms). */
  from?: number;
  to?: number;
  limit: number;
}

export interface ReadingBucket {
  ts: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface GatewayStatusRow {
  ts: number;
  enterpriseId: string;
  gatewayId: string;
  online: boolean;
}

export interface PointLastSeen {
  enterpriseId: string;
  point: string;
  lastTs: number;
}

/** Read access to QuestDB (DESIGN §8). Every method is parameterised and bounded. */
export interface HistoryStore {
  /** Latest transition per alarm (LATEST ON), filtered, newest first. */
  currentAlarms(q: AlarmQuery): Promise<AlarmTransitionEvent[]>;
  /** The latest transition of one alarm. */
  alarm(alarmId: string): Promise<AlarmTransitionEvent | undefined>;
  /** Every stored transition of one alarm, oldest first. */
  alarmTimeline(alarmId: string): Promise<AlarmTransitionEvent[]>;
  /** Every delivery attempt for one alarm, oldest first. */
  alarmDeliveries(alarmId: string): Promise<DeliveryRecord[]>;
  /** All transitions in a window, for KPIs (enterpriseIds undefined = all). */
  alarmEvents(from: number, to: number, enterpriseIds?: readonly string[]): Promise<AlarmTransitionEvent[]>;
  /** Down-sampled readings of one point (SAMPLE BY stepMs). */
  readings(
    enterpriseId: string,
    point: string,
    from: number,
    to: number,
    stepMs: number,
  ): Promise<ReadingBucket[]>;
  /** Latest status row per gateway at `at` (LATEST ON … WHERE ts <= at). */
  gatewayStatusAt(at: number, enterpriseIds?: readonly string[]): Promise<GatewayStatusRow[]>;
  /** Status rows inside (from, to], oldest first. */
  gatewayStatusBetween(
    from: number,
    to: number,
    enterpriseIds?: readonly string[],
  ): Promise<GatewayStatusRow[]>;
  /**
   * Buckets of `bucketMs` (10 min or 1 h) in [from, to) in which each gateway sent at least one
   * reading, whatever its transport (在线率 from data silence).
   */
  readingActivity(
    from: number,
    to: number,
    bucketMs: 600_000 | 3_600_000,
    enterpriseIds: readonly string[],
  ): Promise<{ ts: number; enterpriseId: string; gatewayId: string }[]>;
  /** First stored reading per enterprise at or before `to` (接入: when it first sent data). */
  firstReadings(to: number, enterpriseIds: readonly string[]): Promise<Map<string, number>>;
  /** Last reading time per point of one enterprise. */
  pointsLastSeen(enterpriseId: string): Promise<PointLastSeen[]>;
  ping(): Promise<boolean>;
}

/** A dead-lettered webhook delivery (a failed BullMQ job of the deliveries queue). */
export interface DeadDelivery {
  jobId: string;
  deliveryId: string;
  subscriptionId: string;
  alarmId: string;
  enterpriseId: string;
  event: string;
  attempts: number;
  failedReason: string;
  failedAt: number | null;
}

export interface DeliveryQueue {
  deadLettered(offset: number, limit: number): Promise<DeadDelivery[]>;
  /** One job of the deliveries queue (any state), for the scope check before a replay. */
  find(jobId: string): Promise<DeadDelivery | undefined>;
  /** Moves a failed job back to waiting; 'not-found' / 'not-failed' otherwise. */
  replay(jobId: string): Promise<'replayed' | 'not-found' | 'not-failed'>;
  ping(): Promise<boolean>;
}

/** Writes the registry through @yujing/registry (publishRegistry / deleteEntity). */
export interface RegistryWriter {
  publish(doc: RegistryDocument, changedBy: string): Promise<{ published: number; deleted: number }>;
  delete(kind: RegistryEntityKind, id: string): Promise<void>;
}

/** The registry as the API reads it (a @yujing/registry RegistryStore satisfies it). */
export interface RegistryView {
  readonly version: number;
  enterprise(id: string): Enterprise | undefined;
  enterprises(): Enterprise[];
  gateway(enterpriseId: string, gatewayId: string): Gateway | undefined;
  gateways(): Gateway[];
  point(enterpriseId: string, code: string): Point | undefined;
  points(enterpriseId: string): Point[];
  template(id: string): RuleTemplate | undefined;
  /** Templates held in the registry (the built-in catalogue is not listed). */
  templates(): RuleTemplate[];
  policyFor(classCode: ClassCode, level: AlarmLevel): EscalationPolicy | undefined;
  policies(): EscalationPolicy[];
  subscriptions(): WebhookSubscription[];
  people(): Person[];
  rosters(): DutyRoster[];
  /** External platforms that send telemetry over Kafka (docs/access-control.md, "Kafka"). */
  platforms(): Platform[];
  platform(id: string): Platform | undefined;
}

/** Nonces of used acknowledge links (one-time links in notification messages). */
export interface AckLinkNonces {
  /** Marks the nonce used for ttlMs; false when it was used already. */
  consume(nonce: string, ttlMs: number): Promise<boolean>;
  /** Forgets a nonce whose acknowledgement could not be sent, so the link works again. */
  release(nonce: string): Promise<void>;
}
