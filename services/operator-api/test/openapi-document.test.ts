import { afterEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/openapi-document';
import { harness } from './route-harness';

let h: Awaited<ReturnType<typeof harness>> | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

// The WebSocket route (/api/v1/ws/alarms) is left out by @fastify/swagger (OpenAPI cannot describe it); docs/api.md does.
const EXPECTED = [
  'get /api/v1/alarms',
  'get /api/v1/alarms/{id}',
  ...['ack', 'shelve', 'unshelve', 'verify', 'dispose', 'feedback', 'close', 'comment'].map(
    (a) => `post /api/v1/alarms/{id}/${a}`,
  ),
  'get /api/v1/loops',
  'post /api/v1/points/{pointId}/maintenance',
  'delete /api/v1/points/{pointId}/maintenance',
  'get /api/v1/stream/alarms',
  'get /api/v1/enterprises',
  'get /api/v1/enterprises/{id}/status',
  'get /api/v1/points/{pointId}/readings',
  'get /api/v1/reports/connectivity',
  'get /api/v1/reports/alarm-kpis',
  'get /api/v1/admin/registry/{kind}',
  'put /api/v1/admin/registry',
  'delete /api/v1/admin/registry/{kind}/{id}',
  'get /api/v1/admin/subscriptions',
  'put /api/v1/admin/subscriptions/{id}',
  'delete /api/v1/admin/subscriptions/{id}',
  'get /api/v1/admin/deliveries/dead-lettered',
  'post /api/v1/admin/deliveries/{jobId}/replay',
  'post /api/v1/admin/tokens/revoke',
  'get /api/v1/hazard-criteria',
  'get /api/v1/hazards',
  'post /api/v1/hazards',
  'get /api/v1/hazards/{id}',
  'post /api/v1/hazards/{id}/{action}',
  'get /api/v1/reports/hazard-clearance',
  'get /api/v1/reports/rollout',
  'get /api/v1/reports/rollout.csv',
  'get /api/v1/tip-offs',
  'post /api/v1/tip-offs/{id}/accept',
  'post /api/v1/tip-offs/{id}/dismiss',
  'get /api/v1/inspections/worklist',
  'get /api/v1/inspections',
  'post /api/v1/inspections',
  'post /public/v1/tip-offs',
];

describe('OpenAPI document at /docs/json', () => {
  it('is OpenAPI 3.1, lists every route with a response schema, and resolves every $ref', async () => {
    h = await harness();
    const res = await h.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const ops: string[] = [];
    for (const [path, methods] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>,
    )) {
      for (const [method, op] of Object.entries(methods)) {
        ops.push(`${method} ${path}`);
        if (!path.includes('/ws/'))
          expect(
            op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['202'] ?? op.responses?.['204'],
            `${method} ${path}`,
          ).toBeDefined();
      }
    }
    expect(ops.sort()).toEqual([...EXPECTED].sort());
    expect(ops.some((o) => o.includes('healthz') || o.includes('metrics'))).toBe(false);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    const shelve = doc.paths['/api/v1/alarms/{id}/shelve'].post;
    expect(shelve.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['durationMs', 'reason']),
    );
  });

  it('is the document that docs:generate commits as schemas/operator-api.openapi.json', async () => {
    h = await harness();
    const served = (await h.app.inject({ url: '/docs/json' })).json();
    expect(served).toEqual(await openApiDocument());
  });
});
