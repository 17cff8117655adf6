import type { PassThrough } from 'node:stream';
import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { type RegionScope, RegistryDocument } from '@yujing/schemas';
import { waitFor } from '@yujing/testkit';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type ApiAction, roleMay } from '../src/auth/access-matrix';
import type { ApiRole } from '../src/auth/principal';
import { alarmEvent, bearer, E_DT, E_TY, harness, NOW, token } from './route-harness';
import { hazardFixture, inspectionFixture, tipOffFixture } from './supervision-fixtures';

/**
 * Every route of the app × every role × own and foreign scope (issue #14 hole 6). The routes come
 * from the Fastify app itself, so a route added without an entry in ROUTE_CASES fails this test.
 *
 * Fleet: 太原 小店区 (E_TY, the "own" target of every principal), 太原 尖草坪区 (E_TY2), 大同 (E_DT),
 * 河北 石家庄 (E_HB). A webhook subscription per county, city and province. For each principal the
 * foreign enterprises and subscriptions are written out by hand (not computed by the code under test).
 * A foreign request must answer 403/404, or 2xx with none of the foreign ids in its body, and must
 * never send a command, publish to the registry or replay a delivery.
 */
const E_TY2 = '140108TY002';
const E_HB = '130102HB001';
const REGIONS: Record<string, { province: string; city: string; county: string }> = {
  [E_TY]: { province: '140000', city: '140100', county: '140105' },
  [E_TY2]: { province: '140000', city: '140100', county: '140108' },
  [E_DT]: { province: '140000', city: '140200', county: '140213' },
  [E_HB]: { province: '130000', city: '130100', county: '130102' },
};
/** The county duty officer and roster of each enterprise's county (people carry phone numbers). */
const COUNTY_PERSON: Record<string, string> = {
  [E_TY]: 'p-ty-county',
  [E_TY2]: 'p-ty2-county',
  [E_DT]: 'p-dt-county',
  [E_HB]: 'p-hb-county',
};
const personOf = (id: string, code: string) => ({
  id,
  name: `值班员${id}`,
  scope: { level: 'county', code },
  roles: ['county-duty-officer'],
  channels: [{ id: 'sms', kind: 'sms', phone: '13800000000' }],
});
const rosterOf = (id: string, code: string) => ({
  id: `r-${id}`,
  scope: { level: 'county', code },
  role: 'county-duty-officer',
  shifts: [{ personId: id, start: '08:00', end: '20:00' }],
});
/** The county subscription of each enterprise's county: the subscription target of write routes. */
const COUNTY_SUB: Record<string, string> = {
  [E_TY]: 'ty-county',
  [E_TY2]: 'ty2-county',
  [E_DT]: 'dt-county',
  [E_HB]: 'hb-county',
};
const SUBSCRIPTIONS: Record<string, RegionScope> = {
  'ent-ty': { level: 'enterprise', code: E_TY },
  'ty-county': { level: 'county', code: '140105' },
  'ty2-county': { level: 'county', code: '140108' },
  'dt-county': { level: 'county', code: '140213' },
  'hb-county': { level: 'county', code: '130102' },
  'ty-city': { level: 'city', code: '140100' },
  'sx-province': { level: 'province', code: '140000' },
  'hb-province': { level: 'province', code: '130000' },
};

interface PrincipalCase {
  label: string;
  role: ApiRole;
  scope: RegionScope;
  foreignEnterprises: string[];
  /** Subscriptions whose scope is not inside the principal's scope. */
  foreignSubscriptions: string[];
}
/** People and rosters of a county are foreign exactly when that county's enterprise is. */
const foreignPeople = (p: PrincipalCase) =>
  p.foreignEnterprises.flatMap((e) => [COUNTY_PERSON[e] ?? '', `r-${COUNTY_PERSON[e]}`]);
const PRINCIPALS: PrincipalCase[] = [
  {
    label: 'operator province 140000',
    role: 'operator',
    scope: { level: 'province', code: '140000' },
    foreignEnterprises: [E_HB],
    foreignSubscriptions: ['hb-county', 'hb-province'],
  },
  {
    label: 'operator city 140100',
    role: 'operator',
    scope: { level: 'city', code: '140100' },
    foreignEnterprises: [E_DT, E_HB],
    foreignSubscriptions: ['dt-county', 'hb-county', 'sx-province', 'hb-province'],
  },
  {
    label: 'regulator province 140000',
    role: 'regulator',
    scope: { level: 'province', code: '140000' },
    foreignEnterprises: [E_HB],
    foreignSubscriptions: ['hb-county', 'hb-province'],
  },
  {
    label: 'regulator city 140100',
    role: 'regulator',
    scope: { level: 'city', code: '140100' },
    foreignEnterprises: [E_DT, E_HB],
    foreignSubscriptions: ['dt-county', 'hb-county', 'sx-province', 'hb-province'],
  },
  {
    label: 'regulator county 140105',
    role: 'regulator',
    scope: { level: 'county', code: '140105' },
    foreignEnterprises: [E_TY2, E_DT, E_HB],
    foreignSubscriptions: ['ty2-county', 'dt-county', 'hb-county', 'ty-city', 'sx-province', 'hb-province'],
  },
  {
    label: `enterprise ${E_TY}`,
    role: 'enterprise',
    scope: { level: 'enterprise', code: E_TY },
    foreignEnterprises: [E_TY2, E_DT, E_HB],
    foreignSubscriptions: Object.keys(SUBSCRIPTIONS).filter((s) => s !== 'ent-ty'),
  },
  {
    label: 'admin province 140000',
    role: 'admin',
    scope: { level: 'province', code: '140000' },
    foreignEnterprises: [E_HB],
    foreignSubscriptions: ['hb-county', 'hb-province'],
  },
  {
    label: 'admin county 140105',
    role: 'admin',
    scope: { level: 'county', code: '140105' },
    foreignEnterprises: [E_TY2, E_DT, E_HB],
    foreignSubscriptions: ['ty2-county', 'dt-county', 'hb-county', 'ty-city', 'sx-province', 'hb-province'],
  },
];

/** What a route is asked about one target enterprise. */
interface Target {
  enterprise: string;
  county: string;
  alarmId: string;
  jobId: string;
  subscription: string;
  person: string;
}
type Transport = 'http' | 'sse' | 'ws';
interface RouteCase {
  /** The matrix action the route needs (docs/access-control.md). */
  action: ApiAction;
  transport?: Transport;
  /** Requests against one target (own or foreign); list routes put the target in a filter. */
  requests(t: Target): InjectOptions[];
  /** Roles/scopes that may do this to their own target beyond the matrix (default: the matrix alone). */
  ownAllowed?(p: PrincipalCase): boolean;
}

const alarmIdOf = (enterpriseId: string) => alarmEvent(enterpriseId).alarmId;
const enc = encodeURIComponent;
const FROM = NOW - 3_600_000;
const provinceOnly = (p: PrincipalCase) => p.scope.level === 'province';
const subscriptionBody = (t: Target) => ({
  name: '测试订阅',
  scope: SUBSCRIPTIONS[t.subscription],
  url: 'https://example.org/hook',
  secret: 'another-webhook-secret-key',
});
const action = (name: string, body: object): RouteCase => ({
  action: name as ApiAction,
  requests: (t) => [{ method: 'POST', url: `/api/v1/alarms/${enc(t.alarmId)}/${name}`, payload: body }],
});

/**
 * One entry per route. Adding a route? Add `'<METHOD> <url pattern>': { action, requests }` here:
 * the action your handler passes to authorize(), and a request that touches the target enterprise.
 */
const ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/v1/alarms': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/alarms?enterprise=${t.enterprise}` }],
  },
  'GET /api/v1/alarms/:id': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/alarms/${enc(t.alarmId)}` }],
  },
  'POST /api/v1/points/:pointId/maintenance': {
    action: 'shelve',
    requests: (t) => [
      {
        method: 'POST',
        url: `/api/v1/points/${enc(`${t.enterprise}:CO-BF1-003`)}/maintenance`,
        payload: { mode: 'suppress', durationMs: 3_600_000, reason: '检修' },
      },
    ],
  },
  'DELETE /api/v1/points/:pointId/maintenance': {
    action: 'shelve',
    requests: (t) => [
      { method: 'DELETE', url: `/api/v1/points/${enc(`${t.enterprise}:CO-BF1-003`)}/maintenance` },
    ],
  },
  'GET /api/v1/loops': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/loops?enterprise=${t.enterprise}` }],
  },
  'POST /api/v1/alarms/:id/ack': action('ack', {}),
  'POST /api/v1/alarms/:id/shelve': action('shelve', { durationMs: 3_600_000, reason: '检修' }),
  'POST /api/v1/alarms/:id/unshelve': action('unshelve', {}),
  'POST /api/v1/alarms/:id/verify': action('verify', {}),
  'POST /api/v1/alarms/:id/dispose': action('dispose', {}),
  'POST /api/v1/alarms/:id/feedback': action('feedback', { comment: '已整改' }),
  'POST /api/v1/alarms/:id/close': action('close', {}),
  'POST /api/v1/alarms/:id/comment': action('comment', { comment: '现场复核' }),
  'GET /api/v1/stream/alarms': {
    action: 'read',
    transport: 'sse',
    requests: () => [{ method: 'GET', url: '/api/v1/stream/alarms' }],
  },
  'GET /api/v1/ws/alarms': {
    action: 'read',
    transport: 'ws',
    requests: () => [{ method: 'GET', url: '/api/v1/ws/alarms' }],
  },
  'GET /api/v1/enterprises': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/enterprises?region=${t.county}` }],
  },
  'GET /api/v1/enterprises/:id/status': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/enterprises/${t.enterprise}/status` }],
  },
  'GET /api/v1/points/:pointId/readings': {
    action: 'read',
    requests: (t) => [
      {
        method: 'GET',
        url: `/api/v1/points/${enc(`${t.enterprise}:CO-BF1-003`)}/readings?from=${FROM}&to=${NOW}`,
      },
    ],
  },
  'GET /api/v1/reports/connectivity': {
    action: 'reports',
    requests: (t) => [{ method: 'GET', url: `/api/v1/reports/connectivity?to=${NOW}&region=${t.county}` }],
  },
  'GET /api/v1/reports/alarm-kpis': {
    action: 'reports',
    requests: (t) => [
      { method: 'GET', url: `/api/v1/reports/alarm-kpis?to=${NOW}&enterprise=${t.enterprise}` },
    ],
  },
  'GET /api/v1/admin/registry/:kind': {
    action: 'registry-read',
    requests: () =>
      ['enterprise', 'gateway', 'point', 'policy', 'subscription', 'template', 'person', 'roster'].map(
        (kind) => ({
          method: 'GET' as const,
          url: `/api/v1/admin/registry/${kind}`,
        }),
      ),
  },
  'PUT /api/v1/admin/registry': {
    action: 'registry-write',
    requests: (t) => [
      {
        method: 'PUT',
        url: '/api/v1/admin/registry',
        payload: { points: [{ ...point(t.enterprise), name: '改名' }] },
      },
      { method: 'PUT', url: '/api/v1/admin/registry', payload: { people: [personOf(t.person, t.county)] } },
      {
        method: 'PUT',
        url: '/api/v1/admin/registry',
        payload: { rosters: [rosterOf(t.person, t.county)] },
      },
    ],
  },
  'DELETE /api/v1/admin/registry/:kind/:id': {
    action: 'registry-write',
    requests: (t) => [
      { method: 'DELETE', url: `/api/v1/admin/registry/gateway/${enc(`${t.enterprise}:gw-01`)}` },
      { method: 'DELETE', url: `/api/v1/admin/registry/person/${t.person}` },
      { method: 'DELETE', url: `/api/v1/admin/registry/roster/r-${t.person}` },
    ],
  },
  'GET /api/v1/admin/subscriptions': {
    action: 'registry-read',
    requests: () => [{ method: 'GET', url: '/api/v1/admin/subscriptions' }],
  },
  'PUT /api/v1/admin/subscriptions/:id': {
    action: 'registry-write',
    ownAllowed: provinceOnly,
    requests: (t) => [
      { method: 'PUT', url: `/api/v1/admin/subscriptions/${t.subscription}`, payload: subscriptionBody(t) },
      {
        method: 'PUT',
        url: '/api/v1/admin/registry',
        payload: { subscriptions: [{ id: t.subscription, ...subscriptionBody(t) }] },
      },
    ],
  },
  'DELETE /api/v1/admin/subscriptions/:id': {
    action: 'registry-write',
    ownAllowed: provinceOnly,
    requests: (t) => [
      { method: 'DELETE', url: `/api/v1/admin/subscriptions/${t.subscription}` },
      { method: 'DELETE', url: `/api/v1/admin/registry/subscription/${t.subscription}` },
    ],
  },
  'GET /api/v1/admin/deliveries/dead-lettered': {
    action: 'deliveries',
    requests: () => [{ method: 'GET', url: '/api/v1/admin/deliveries/dead-lettered' }],
  },
  // Revocation names a token id, not a region: any admin may take access away.
  'POST /api/v1/admin/tokens/revoke': {
    action: 'tokens',
    requests: () => [
      { method: 'POST', url: '/api/v1/admin/tokens/revoke', payload: { jti: 'some-token-id' } },
    ],
  },
  'POST /api/v1/admin/deliveries/:jobId/replay': {
    action: 'deliveries',
    requests: (t) => [{ method: 'POST', url: `/api/v1/admin/deliveries/${t.jobId}/replay` }],
  },
  // Hazards, tip-offs and inspections (docs/hazards.md); the seeded records are named after their enterprise.
  'GET /api/v1/hazard-criteria': {
    action: 'read',
    requests: () => [{ method: 'GET', url: '/api/v1/hazard-criteria' }],
  },
  'GET /api/v1/hazards': {
    action: 'read',
    requests: (t) => [
      { method: 'GET', url: `/api/v1/hazards?enterprise=${t.enterprise}` },
      { method: 'GET', url: `/api/v1/hazards?region=${t.county}` },
    ],
  },
  'GET /api/v1/hazards/:id': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/hazards/hz-plan-${t.enterprise}` }],
  },
  // The enterprise may not register hazards from alarms (hazard-lifecycle REPORT_ROLES).
  'POST /api/v1/hazards': {
    action: 'hazards',
    ownAllowed: (p) => p.role !== 'enterprise',
    requests: (t) => [
      {
        method: 'POST',
        url: '/api/v1/hazards',
        payload: {
          source: { kind: 'alarm', alarmId: t.alarmId },
          criterionId: 'steel-water-cooled-elements',
          title: '转炉水冷元件无监测报警',
        },
      },
    ],
  },
  // plan and rectified: the enterprise's and the regulator's steps, not the operator's.
  'POST /api/v1/hazards/:id/:action': {
    action: 'hazards',
    ownAllowed: (p) => p.role !== 'operator',
    requests: (t) => [
      {
        method: 'POST',
        url: `/api/v1/hazards/hz-plan-${t.enterprise}/plan`,
        payload: { plan: '加装监测报警并联锁' },
      },
      {
        method: 'POST',
        url: `/api/v1/hazards/hz-rect-${t.enterprise}/rectified`,
        payload: { comment: '已加装并联锁' },
      },
    ],
  },
  'GET /api/v1/reports/hazard-clearance': {
    action: 'reports',
    requests: (t) => [
      { method: 'GET', url: `/api/v1/reports/hazard-clearance?from=${FROM}&to=${NOW}&region=${t.county}` },
    ],
  },
  'GET /api/v1/reports/rollout': {
    action: 'reports',
    requests: (t) => [
      { method: 'GET', url: `/api/v1/reports/rollout?from=${FROM}&to=${NOW}&region=${t.county}` },
    ],
  },
  'GET /api/v1/reports/rollout.csv': {
    action: 'reports',
    requests: (t) => [
      { method: 'GET', url: `/api/v1/reports/rollout.csv?from=${FROM}&to=${NOW}&region=${t.county}` },
    ],
  },
  'GET /api/v1/tip-offs': {
    action: 'moderate',
    requests: () => [{ method: 'GET', url: '/api/v1/tip-offs' }],
  },
  'POST /api/v1/tip-offs/:id/accept': {
    action: 'moderate',
    requests: (t) => [
      {
        method: 'POST',
        url: `/api/v1/tip-offs/to-accept-${t.enterprise}/accept`,
        payload: {
          enterpriseId: t.enterprise,
          criterionId: 'steel-water-cooled-elements',
          title: '举报核实',
        },
      },
    ],
  },
  'POST /api/v1/tip-offs/:id/dismiss': {
    action: 'moderate',
    requests: (t) => [
      {
        method: 'POST',
        url: `/api/v1/tip-offs/to-dismiss-${t.enterprise}/dismiss`,
        payload: { reason: '重复举报' },
      },
    ],
  },
  'GET /api/v1/inspections/worklist': {
    action: 'inspections',
    requests: (t) => [{ method: 'GET', url: `/api/v1/inspections/worklist?region=${t.county}` }],
  },
  'GET /api/v1/inspections': {
    action: 'read',
    requests: (t) => [{ method: 'GET', url: `/api/v1/inspections?enterprise=${t.enterprise}` }],
  },
  'POST /api/v1/inspections': {
    action: 'inspections',
    requests: (t) => [
      {
        method: 'POST',
        url: '/api/v1/inspections',
        payload: {
          enterpriseId: t.enterprise,
          findings: [{ title: '水冷元件无报警', criterionId: 'steel-water-cooled-elements' }],
        },
      },
    ],
  },
};

/** Routes outside /api/ answer without a token; each needs a reason here. */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /healthz': 'liveness probe, no data',
  'GET /readyz': 'readiness probe, dependency names only',
  'GET /metrics': 'Prometheus scrape, aggregate counters without enterprise ids',
  'GET /ack-links':
    'one-time acknowledge link of a notification: the HMAC-signed, expiring ?token= is the credential (docs/notifications.md)',
  'POST /ack-links': 'the same link confirmed: signature, expiry and a single-use nonce are checked',
  'POST /public/v1/tip-offs':
    '举报 intake: anyone may report, anonymously; rate-limited per address and in total, stored pending and counted only once a regulator accepts it (docs/hazards.md)',
};
/** Optional routes are switched on, so the enumeration below sees every route the app can serve. */
const ALL_ROUTES_OPTIONS = {
  ackLinks: {
    secret: 'route-access-ack-link-secret-0123456789',
    nonces: { consume: async () => true, release: async () => {} },
  },
};
const isPublicDocs = (url: string) => url === '/docs' || url.startsWith('/docs/');

function point(enterpriseId: string) {
  return {
    enterpriseId,
    code: 'CO-BF1-003',
    name: '1#高炉CO',
    kind: 'co-concentration',
    unit: 'ppm',
    gatewayId: 'gw-01',
    range: { min: 0, max: 1000 },
  };
}

const GW_HASH = hashMqttPassword('pw-route-access');

function fleet(): RegistryDocument {
  const enterprise = (id: string) => ({
    id,
    name: `测试企业${id}`,
    region: REGIONS[id],
    industries: ['steel'],
    hazards: ['industrial-gas'],
    classification: { scheme: 'shanxi-yjgm-2024', code: 'A', rank: 1 },
    connectionRequiredBy: '2025-12-31',
  });
  const ids = Object.keys(REGIONS);
  return RegistryDocument.parse({
    enterprises: ids.map(enterprise),
    gateways: ids.map((enterpriseId) => ({
      enterpriseId,
      id: 'gw-01',
      credentials: { mqttPasswordHash: GW_HASH, httpTokenSha256: sha256Hex('tok') },
    })),
    points: ids.map(point),
    people: ids.map((e) => personOf(COUNTY_PERSON[e] ?? '', REGIONS[e]?.county ?? '')),
    rosters: ids.map((e) => rosterOf(COUNTY_PERSON[e] ?? '', REGIONS[e]?.county ?? '')),
    subscriptions: Object.entries(SUBSCRIPTIONS).map(([id, scope]) => ({
      id,
      name: `订阅${id}`,
      scope,
      url: `https://example.org/${id}`,
      secret: 'super-secret-webhook-key',
    })),
  });
}

const target = (enterprise: string): Target => ({
  enterprise,
  county: REGIONS[enterprise]?.county ?? '',
  alarmId: alarmIdOf(enterprise),
  jobId: `job-${enterprise}`,
  subscription: COUNTY_SUB[enterprise] ?? '',
  person: COUNTY_PERSON[enterprise] ?? '',
});

type Harness = Awaited<ReturnType<typeof harness>>;

async function seeded(): Promise<Harness> {
  const h = await harness();
  h.store.loadDocument(fleet());
  for (const e of Object.keys(REGIONS)) {
    h.history.alarms.push(alarmEvent(e, { emittedAt: NOW - 60_000 }));
    h.history.status.push({ ts: NOW - 120_000, enterpriseId: e, gatewayId: 'gw-01', online: true });
    h.history.lastSeen.push({ enterpriseId: e, point: 'CO-BF1-003', lastTs: NOW - 1000 });
    h.deliveries.failed.push({
      jobId: `job-${e}`,
      deliveryId: `d-${e}`,
      subscriptionId: COUNTY_SUB[e] ?? '',
      alarmId: alarmIdOf(e),
      enterpriseId: e,
      event: 'alarm.raised',
      attempts: 8,
      failedReason: 'HTTP 500',
      failedAt: NOW,
    });
  }
  for (const e of Object.keys(REGIONS)) {
    const county = REGIONS[e]?.county ?? '';
    h.supervision.seed(
      hazardFixture(e, `hz-plan-${e}`, 'confirmed', NOW - 86_400_000),
      hazardFixture(e, `hz-rect-${e}`, 'rectifying', NOW - 86_400_000),
      tipOffFixture(county, `to-accept-${e}`, NOW - 3_600_000, `举报企业${e}`),
      tipOffFixture(county, `to-dismiss-${e}`, NOW - 3_600_000, `举报企业${e}`),
      inspectionFixture(e, `in-${e}`, NOW - 86_400_000),
    );
  }
  h.bus.answer = (cmd) => ({ result: { ok: true }, transition: { transition: cmd.action, seq: 2 } });
  return h;
}

interface Answer {
  status: number;
  body: string;
}

/** SSE: resumes from the first of a burst (every enterprise, then an own sentinel) and reads to the sentinel. */
async function streamSse(h: Harness, req: InjectOptions, headers: Record<string, string>): Promise<Answer> {
  const first = h.hub.publish(alarmEvent(E_TY, { alarmId: `${E_TY}:first:${Math.random()}` }));
  for (const e of Object.keys(REGIONS))
    h.hub.publish(alarmEvent(e, { alarmId: `${e}:burst:${Math.random()}` }));
  const sentinel = `${E_TY}:sentinel:${Math.random()}`;
  h.hub.publish(alarmEvent(E_TY, { alarmId: sentinel }));
  const res = await h.app.inject({
    ...req,
    headers: { ...headers, 'last-event-id': first.id },
    payloadAsStream: true,
  });
  if (res.statusCode !== 200) return { status: res.statusCode, body: res.payload };
  const stream = res.stream() as PassThrough;
  let body = '';
  stream.on('data', (c: Buffer) => {
    body += c.toString();
  });
  try {
    await waitFor(() => body.includes(sentinel), { timeoutMs: 5000, message: 'SSE sentinel' });
  } finally {
    stream.destroy();
  }
  return { status: 200, body };
}

async function streamWs(h: Harness, req: InjectOptions, headers: Record<string, string>): Promise<Answer> {
  const first = h.hub.publish(alarmEvent(E_TY, { alarmId: `${E_TY}:first:${Math.random()}` }));
  for (const e of Object.keys(REGIONS))
    h.hub.publish(alarmEvent(e, { alarmId: `${e}:burst:${Math.random()}` }));
  const sentinel = `${E_TY}:sentinel:${Math.random()}`;
  h.hub.publish(alarmEvent(E_TY, { alarmId: sentinel }));
  let body = '';
  let ws: WebSocket;
  try {
    ws = await h.app.injectWS(`${req.url as string}?lastEventId=${first.id}`, { headers }, {
      onInit: (socket: WebSocket) =>
        socket.on('message', (m: Buffer) => {
          body += `${m.toString()}\n`;
        }),
    } as never);
  } catch (err) {
    const status = Number(/(\d{3})/.exec((err as Error).message)?.[1] ?? 0);
    return { status, body: '' };
  }
  try {
    await waitFor(() => body.includes(sentinel), { timeoutMs: 5000, message: 'WS sentinel' });
  } finally {
    ws.terminate();
  }
  return { status: 200, body };
}

describe('route × role × scope access', () => {
  it('has an entry for every route of the app', async () => {
    const h = await harness(ALL_ROUTES_OPTIONS);
    try {
      const missing: string[] = [];
      for (const r of h.routes) {
        if (r.method === 'HEAD') continue;
        const key = `${r.method} ${r.url}`;
        if (r.url.startsWith('/api/')) {
          if (!ROUTE_CASES[key])
            missing.push(
              `${key}: add an entry to ROUTE_CASES in services/operator-api/test/route-access.test.ts ` +
                '({ action: <the ApiAction your handler authorizes>, requests: (t) => [a request touching t.enterprise] })',
            );
        } else if (!PUBLIC_ROUTES[key] && !isPublicDocs(r.url)) {
          missing.push(
            `${key} answers without a token: move it under /api/v1 (authenticated), or add it to PUBLIC_ROUTES ` +
              'in services/operator-api/test/route-access.test.ts with the reason it needs none (and docs/access-control.md)',
          );
        }
      }
      expect(missing).toEqual([]);
      const served = new Set(h.routes.map((r) => `${r.method} ${r.url}`));
      expect(
        Object.keys(ROUTE_CASES).filter((k) => !served.has(k)),
        'entries for routes that no longer exist',
      ).toEqual([]);
    } finally {
      await h.app.close();
    }
  });

  describe.each(PRINCIPALS)('$label', (p) => {
    let h: Harness;
    let headers: Record<string, string>;
    beforeAll(async () => {
      h = await seeded();
      headers = bearer(await token(p.role, p.scope, { sub: `access-${p.label}` }));
    });
    afterAll(async () => {
      await h.app.close();
    });

    const send = (rc: RouteCase, req: InjectOptions): Promise<Answer> => {
      if (rc.transport === 'sse') return streamSse(h, req, headers);
      if (rc.transport === 'ws') return streamWs(h, req, headers);
      return h.app
        .inject({ ...req, headers: { ...headers, ...(req.headers as object) } })
        .then((r) => ({ status: r.statusCode, body: r.payload }));
    };
    const effects = () => ({
      commands: h.bus.sent.length,
      published: h.writer.published.length,
      deleted: h.writer.deleted.length,
      replayed: h.deliveries.replayed.length,
      supervision: h.supervision.written.length,
    });
    const foreignMarkers = [
      ...p.foreignEnterprises,
      ...p.foreignSubscriptions.map((s) => `"${s}"`),
      ...foreignPeople(p).map((id) => `"${id}"`),
    ];

    const cases = Object.entries(ROUTE_CASES).flatMap(([route, rc]) => [
      { route, rc, enterprise: E_TY, own: true },
      ...p.foreignEnterprises.map((enterprise) => ({ route, rc, enterprise, own: false })),
    ]);
    it.each(cases)('$route on $enterprise', async ({ rc, enterprise, own }) => {
      const mayAct = roleMay(p.role, rc.action) && (rc.ownAllowed?.(p) ?? true);
      for (const req of rc.requests(target(enterprise))) {
        const before = effects();
        const res = await send(rc, req);
        const what = `${req.method} ${req.url} as ${p.label}`;
        if (!roleMay(p.role, rc.action)) {
          expect(res.status, `${what}: role may not ${rc.action}`).toBe(403);
          expect(effects(), what).toEqual(before);
        } else if (own) {
          expect(res.status, `${what}: own target refused: ${res.body}`).toBeLessThan(mayAct ? 300 : 500);
          if (!mayAct) expect(res.status, what).toBe(403);
        } else {
          expect(effects(), `${what}: a foreign target must change nothing`).toEqual(before);
          if (res.status < 400)
            for (const m of foreignMarkers) expect(res.body, `${what}: leaks ${m}`).not.toContain(m);
          else expect([403, 404], `${what}: ${res.body}`).toContain(res.status);
        }
        // Whatever the target, a readable answer never carries data from outside the scope.
        if (res.status < 400)
          for (const m of foreignMarkers) expect(res.body, `${what}: leaks ${m}`).not.toContain(m);
      }
    });
  });
});
