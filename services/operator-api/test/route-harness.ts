import { createLogger, type Logger } from '@yujing/logger';
import { hashMqttPassword, RegistryStore, sha256Hex } from '@yujing/registry';
import {
  type AlarmCommand,
  type AlarmCommandResult,
  type AlarmTransitionEvent,
  type DeliveryRecord,
  RegistryDocument,
  type SupervisionRecord,
} from '@yujing/schemas';
import { createMetricsRegistry } from '@yujing/service-runtime';
import { SignJWT } from 'jose';
import { build } from '../src/app';
import type { ApiRole } from '../src/auth/principal';
import { LocalRevocations } from '../src/auth/token-revocation';
import { createTokenVerifier } from '../src/auth/token-verifier';
import type {
  AlarmQuery,
  CommandBus,
  DeadDelivery,
  DeliveryQueue,
  GatewayStatusRow,
  HistoryStore,
  PointLastSeen,
  ReadingBucket,
  RegistryWriter,
} from '../src/collaborators';
import { AlarmEventHub } from '../src/feed/alarm-event-hub';
import type { StreamLimits } from '../src/feed/stream-registry';
import type { AckLinkOptions } from '../src/routes/ack-link-routes';
import type { TipOffLimits } from '../src/routes/tip-off-routes';
import { MemorySupervisionStore, type WriteOutcome } from '../src/storage/supervision-store';

/**
 * Plain in-memory versions of the API's own collaborator interfaces, for route tests through
 * app.inject(). They imitate no external system: they hold rows and record calls.
 */
export const SECRET = 'route-test-secret-0123456789abcdef';
export const AUDIENCE = 'yujing-operator-api';
/** The verifier settings of production (audience required, 24 h lifetime) with the test secret. */
export const VERIFIER_OPTIONS = {
  secret: SECRET,
  issuer: 'yujing',
  audience: AUDIENCE,
  requireAudience: true,
  maxLifetimeS: 86_400,
};
export const TAIYUAN = { province: '140000', city: '140100', county: '140105' };
export const DATONG = { province: '140000', city: '140200', county: '140213' };
export const E_TY = '140105TY001';
export const E_DT = '140213DT001';
export const NOW = Date.parse('2026-11-28T02:00:00Z');

const gw = (enterpriseId: string) => ({
  enterpriseId,
  id: 'gw-01',
  credentials: { mqttPasswordHash: hashMqttPassword('pw-route-test'), httpTokenSha256: sha256Hex('tok') },
});
const enterprise = (id: string, region: typeof TAIYUAN, name: string, connectionRequiredBy: string) => ({
  id,
  name,
  region,
  industries: ['steel'],
  hazards: ['industrial-gas'],
  classification: { scheme: 'shanxi-yjgm-2024', code: 'A', rank: 1 },
  connectionRequiredBy,
});

export function fixtureDocument(): RegistryDocument {
  return RegistryDocument.parse({
    enterprises: [
      enterprise(E_TY, TAIYUAN, '太原测试钢铁', '2025-12-31'),
      enterprise(E_DT, DATONG, '大同测试钢铁', '2025-12-31'),
    ],
    gateways: [gw(E_TY), gw(E_DT)],
    points: [
      {
        enterpriseId: E_TY,
        code: 'CO-BF1-003',
        name: '1#高炉CO',
        kind: 'co-concentration',
        unit: 'ppm',
        gatewayId: 'gw-01',
        range: { min: 0, max: 1000 },
      },
    ],
    policies: [
      {
        id: 'a-l1',
        classification: ['A'],
        levels: [1, 2],
        steps: [{ afterMs: 300_000, notify: 'county' }],
        closedLoop: { verifyWithinMs: 3_600_000, disposeWithinMs: 7_200_000, closeWithinMs: 86_400_000 },
      },
    ],
    subscriptions: [
      {
        id: 'ty-city',
        name: '太原市应急局',
        scope: { level: 'city', code: '140100' },
        url: 'https://example.org/hook',
        secret: 'super-secret-webhook-key',
      },
    ],
  });
}

export function alarmEvent(
  enterpriseId: string,
  over: Partial<AlarmTransitionEvent> = {},
): AlarmTransitionEvent {
  const episodeStart = NOW - 600_000;
  return {
    alarmId: `${enterpriseId}:CO-BF1-003:co-high:${episodeStart}`,
    enterpriseId,
    point: 'CO-BF1-003',
    rule: 'co-high',
    kind: 'threshold',
    level: 1,
    state: 'active-unack',
    loop: 'open',
    transition: 'raise',
    value: 180,
    limit: 160,
    eventTime: episodeStart,
    emittedAt: episodeStart,
    episodeStart,
    seq: 1,
    ...over,
  };
}

export class MemoryHistory implements HistoryStore {
  /** Readings as (ts, enterprise, gateway) for the rollout report. */
  readingsSeen: { ts: number; enterpriseId: string; gatewayId: string }[] = [];
  alarms: AlarmTransitionEvent[] = [];
  deliveries: DeliveryRecord[] = [];
  readingsRows: ReadingBucket[] = [];
  status: GatewayStatusRow[] = [];
  lastSeen: PointLastSeen[] = [];
  queries: AlarmQuery[] = [];
  down = false;
  #check() {
    if (this.down) throw new Error('QuestDB unreachable');
  }
  #latest(): AlarmTransitionEvent[] {
    const m = new Map<string, AlarmTransitionEvent>();
    for (const a of this.alarms) if ((m.get(a.alarmId)?.seq ?? -1) < a.seq) m.set(a.alarmId, a);
    return [...m.values()];
  }
  async currentAlarms(q: AlarmQuery) {
    this.#check();
    this.queries.push(q);
    return this.#latest().filter(
      (a) =>
        (!q.enterpriseIds || q.enterpriseIds.includes(a.enterpriseId)) &&
        (!q.states || q.states.includes(a.state)) &&
        (!q.levels || q.levels.includes(a.level)) &&
        (!q.kinds || q.kinds.includes(a.kind)) &&
        (!q.loops || q.loops.includes(a.loop)),
    );
  }
  async alarm(id: string) {
    this.#check();
    return this.#latest().find((a) => a.alarmId === id);
  }
  async alarmTimeline(id: string) {
    return this.alarms.filter((a) => a.alarmId === id).sort((a, b) => a.seq - b.seq);
  }
  async alarmDeliveries(id: string) {
    return this.deliveries.filter((d) => d.alarmId === id);
  }
  async alarmEvents(from: number, to: number, ids?: readonly string[]) {
    return this.alarms.filter(
      (a) => a.emittedAt >= from && a.emittedAt < to && (!ids || ids.includes(a.enterpriseId)),
    );
  }
  async readings() {
    this.#check();
    return this.readingsRows;
  }
  async gatewayStatusAt(at: number, ids?: readonly string[]) {
    const m = new Map<string, GatewayStatusRow>();
    for (const r of [...this.status].sort((a, b) => a.ts - b.ts))
      if (r.ts <= at && (!ids || ids.includes(r.enterpriseId))) m.set(`${r.enterpriseId}:${r.gatewayId}`, r);
    return [...m.values()];
  }
  async gatewayStatusBetween(from: number, to: number, ids?: readonly string[]) {
    return this.status.filter((r) => r.ts > from && r.ts <= to && (!ids || ids.includes(r.enterpriseId)));
  }
  async readingActivity(from: number, to: number, bucketMs: number, enterpriseIds: readonly string[]) {
    const ids = new Set(enterpriseIds);
    const seen = new Map<string, { ts: number; enterpriseId: string; gatewayId: string }>();
    for (const r of this.readingsSeen) {
      if (r.ts < from || r.ts >= to || !ids.has(r.enterpriseId)) continue;
      const ts = r.ts - (r.ts % bucketMs);
      seen.set(`${ts}:${r.enterpriseId}:${r.gatewayId}`, {
        ts,
        enterpriseId: r.enterpriseId,
        gatewayId: r.gatewayId,
      });
    }
    return [...seen.values()];
  }
  async firstReadings(to: number, enterpriseIds: readonly string[]) {
    const out = new Map<string, number>();
    for (const r of this.readingsSeen)
      if (r.ts <= to && enterpriseIds.includes(r.enterpriseId))
        out.set(r.enterpriseId, Math.min(out.get(r.enterpriseId) ?? Infinity, r.ts));
    return out;
  }
  async pointsLastSeen(enterpriseId: string) {
    return this.lastSeen.filter((p) => p.enterpriseId === enterpriseId);
  }
  async ping() {
    return !this.down;
  }
}

/** Records commands; `answer` decides what the (test's) worker replies through the hub. */
export class RecordingBus implements CommandBus {
  sent: AlarmCommand[] = [];
  answer:
    | ((
        cmd: AlarmCommand,
      ) => { result: Partial<AlarmCommandResult>; transition?: Partial<AlarmTransitionEvent> } | undefined)
    | undefined;
  constructor(private readonly hub: AlarmEventHub) {}
  async send(cmd: AlarmCommand) {
    this.sent.push(cmd);
    const a = this.answer?.(cmd);
    if (!a) return;
    queueMicrotask(() => {
      if (a.transition)
        this.hub.publish({ ...alarmEvent(cmd.enterpriseId), actor: cmd.actor, ...a.transition });
      this.hub.resolveCommand({
        commandId: cmd.commandId,
        alarmId: cmd.alarmId,
        enterpriseId: cmd.enterpriseId,
        ok: true,
        at: NOW,
        ...a.result,
      });
    });
  }
}

export class MemoryDeliveries implements DeliveryQueue {
  failed: DeadDelivery[] = [];
  replayed: string[] = [];
  async deadLettered(offset: number, limit: number) {
    return this.failed.slice(offset, offset + limit);
  }
  async find(jobId: string) {
    return this.failed.find((d) => d.jobId === jobId);
  }
  async replay(jobId: string) {
    if (this.replayed.includes(jobId)) return 'not-failed' as const;
    if (!this.failed.some((d) => d.jobId === jobId)) return 'not-found' as const;
    this.replayed.push(jobId);
    return 'replayed' as const;
  }
  async ping() {
    return true;
  }
}

export class RecordingRegistryWriter implements RegistryWriter {
  published: { doc: RegistryDocument; changedBy: string }[] = [];
  deleted: { kind: string; id: string }[] = [];
  async publish(doc: RegistryDocument, changedBy: string) {
    this.published.push({ doc, changedBy });
    return {
      published:
        doc.enterprises.length +
        doc.gateways.length +
        doc.points.length +
        doc.subscriptions.length +
        doc.policies.length,
      deleted: 0,
    };
  }
  async delete(kind: never, id: string) {
    this.deleted.push({ kind, id });
  }
}

export async function token(
  role: ApiRole,
  scope: { level: string; code: string },
  opts: { sub?: string; secret?: string; expiresIn?: string; jti?: string; audience?: string } = {},
) {
  const jwt = new SignJWT({ role, scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(opts.sub ?? `${role}-${scope.code}`)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuer('yujing')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h');
  if (opts.jti !== undefined) jwt.setJti(opts.jti);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

export async function harness(
  opts: {
    commandWaitMs?: number;
    rateLimitPerMin?: number;
    authFailuresPerMin?: number;
    streamLimits?: Partial<StreamLimits>;
    logger?: Logger;
    webhooksRequireHttps?: boolean;
    ackLinks?: AckLinkOptions;
    tipOffLimits?: TipOffLimits;
  } = {},
) {
  const revocations = new LocalRevocations(() => NOW);
  const store = new RegistryStore();
  store.loadDocument(fixtureDocument());
  const hub = new AlarmEventHub({ ringSize: 100, bootId: 'test' });
  const history = new MemoryHistory();
  const bus = new RecordingBus(hub);
  const deliveries = new MemoryDeliveries();
  const writer = new RecordingRegistryWriter();
  const supervision = new RecordingSupervisionStore();
  const { app, streams, routes } = await build({
    logger: opts.logger ?? createLogger({ service: 'operator-api-test', level: 'silent' }),
    verifier: createTokenVerifier({ ...VERIFIER_OPTIONS, revocation: revocations }),
    revocations,
    ...(opts.authFailuresPerMin !== undefined ? { authFailuresPerMin: opts.authFailuresPerMin } : {}),
    ...(opts.streamLimits !== undefined ? { streamLimits: opts.streamLimits } : {}),
    ...(opts.webhooksRequireHttps !== undefined ? { webhooksRequireHttps: opts.webhooksRequireHttps } : {}),
    registry: store,
    hub,
    bus,
    history,
    deliveries,
    registryWriter: writer,
    metrics: createMetricsRegistry('operator-api-test'),
    readiness: { questdb: () => history.ping() },
    commandWaitMs: opts.commandWaitMs ?? 2000,
    transitionGraceMs: 50,
    rateLimitPerMin: opts.rateLimitPerMin ?? 10_000,
    ...(opts.ackLinks ? { ackLinks: opts.ackLinks } : {}),
    ...(opts.tipOffLimits ? { tipOffLimits: opts.tipOffLimits } : {}),
    supervision,
    now: () => NOW,
  });
  await app.ready();
  return { app, streams, routes, store, hub, history, bus, deliveries, writer, revocations, supervision };
}

/** The in-memory supervision store, recording every stored write (seed with `seed`, which records nothing). */
export class RecordingSupervisionStore extends MemorySupervisionStore {
  readonly written: SupervisionRecord[] = [];
  override async write(record: SupervisionRecord): Promise<WriteOutcome> {
    const outcome = await super.write(record);
    if (outcome === 'written') this.written.push(record);
    return outcome;
  }
  seed(...records: SupervisionRecord[]): void {
    for (const r of records) this.projection.apply(r);
  }
}

export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
