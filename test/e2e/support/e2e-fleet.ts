import { devGatewayCredentials } from '@yujing/fixtures';
import {
  buildFleetModel,
  type FleetModel,
  type ResolvedScenario,
  resolveScenario,
  type Scenario,
} from '@yujing/gateway-simulator';
import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { type RegistryDocument, WebhookEventType, type WebhookSubscription } from '@yujing/schemas';

export interface E2eFleet {
  document: RegistryDocument;
  fleet: FleetModel;
  /** Each scenario bound to its own renamed enterprise. */
  resolved: ResolvedScenario[];
}

/**
 * An isolated copy of the fixture fleet for one e2e run: only the enterprises the scenarios
 * need (one each), renamed with a run suffix so their MQTT topics, alarm ids and rows cannot
 * mix with a demo or another run on the same stack; gateway credentials re-hashed for the new
 * ids (devGatewayCredentials derives plaintexts from the ids); and one enterprise-scoped webhook
 * subscription per enterprise pointing at the test's regulator, so the first escalation step
 * (notify enterprise, after 0 ms) delivers every raised alarm at once.
 */
export function buildE2eFleet(
  base: RegistryDocument,
  scenarios: readonly Scenario[],
  opts: { suffix: string; webhookBaseUrl: string; webhookSecret: string },
): E2eFleet {
  const baseFleet = buildFleetModel(base);
  const used = new Set<string>();
  const chosen = scenarios.map((s) => {
    const r = resolveScenario(s, baseFleet, { exclude: used });
    used.add(r.enterpriseId);
    return r.enterpriseId;
  });
  const rename = new Map(chosen.map((id, i) => [id, `${id.slice(0, 6)}${opts.suffix}${i}`]));
  const to = (id: string) => rename.get(id) as string;
  const keep = <T extends { enterpriseId: string }>(xs: readonly T[]) =>
    xs.filter((x) => rename.has(x.enterpriseId));

  const document: RegistryDocument = {
    enterprises: base.enterprises.filter((e) => rename.has(e.id)).map((e) => ({ ...e, id: to(e.id) })),
    gateways: keep(base.gateways).map((g) => {
      const creds = devGatewayCredentials(to(g.enterpriseId), g.id);
      return {
        ...g,
        enterpriseId: to(g.enterpriseId),
        credentials: {
          mqttPasswordHash: hashMqttPassword(creds.mqttPassword),
          httpTokenSha256: sha256Hex(creds.httpToken),
        },
      };
    }),
    points: keep(base.points).map((p) => ({ ...p, enterpriseId: to(p.enterpriseId) })),
    templates: base.templates,
    policies: base.policies,
    subscriptions: chosen.map(
      (id, i): WebhookSubscription => ({
        id: `e2e-${opts.suffix}-${i}`,
        name: `e2e regulator for ${to(id)}`,
        scope: { level: 'enterprise', code: to(id) },
        url: `${opts.webhookBaseUrl}/hooks/e2e-${i}`,
        secret: opts.webhookSecret,
        events: [...WebhookEventType.options],
        maxLevel: 4,
        ratePerSecond: 50,
        enabled: true,
      }),
    ),
    // No people: the e2e run checks regulator webhooks; person routing has its own tests.
    people: [],
    rosters: [],
    platforms: [],
  };
  const fleet = buildFleetModel(document);
  const resolved = scenarios.map((s, i) =>
    resolveScenario({ ...s, enterprise: { ...s.enterprise, id: to(chosen[i]!) } }, fleet),
  );
  return { document, fleet, resolved };
}
