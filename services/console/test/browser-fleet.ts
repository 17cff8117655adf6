import { devGatewayCredentials } from '@yujing/fixtures';
import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { type RegistryDocument, WebhookEventType, type WebhookSubscription } from '@yujing/schemas';

/** The two fixture enterprises the browser tests use: one in 太原 (140100), one in 长治 (140400). */
export const TAIYUAN_BASE = '140108ST01';
export const CHANGZHI_BASE = '140404ST01';

export interface ConsoleFleet {
  document: RegistryDocument;
  taiyuan: string;
  changzhi: string;
}

/**
 * An isolated copy of two fixture enterprises for one browser run, renamed with the run suffix
 * (as test/e2e does) so alarm ids, rows and topics cannot mix with the demo or another run; one
 * enterprise-scoped webhook subscription each, pointing at the test's regulator receiver, so the
 * alarm timeline shows real deliveries.
 */
export function consoleFleet(
  base: RegistryDocument,
  opts: { suffix: string; webhookBaseUrl: string; webhookSecret: string },
): ConsoleFleet {
  const ids = [TAIYUAN_BASE, CHANGZHI_BASE];
  const rename = new Map(ids.map((id, i) => [id, `${id.slice(0, 6)}${opts.suffix}${i}`]));
  const to = (id: string) => rename.get(id) as string;
  const keep = <T extends { enterpriseId: string }>(xs: readonly T[]) =>
    xs.filter((x) => rename.has(x.enterpriseId));
  const document: RegistryDocument = {
    ...base,
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
    // The fixture people and rosters name fixture enterprises; this run routes to webhooks only.
    people: [],
    rosters: [],
    subscriptions: ids.map(
      (id, i): WebhookSubscription => ({
        id: `console-${opts.suffix}-${i}`,
        name: `browser-test regulator for ${to(id)}`,
        scope: { level: 'enterprise', code: to(id) },
        url: `${opts.webhookBaseUrl}/hooks/console-${i}`,
        secret: opts.webhookSecret,
        events: [...WebhookEventType.options],
        maxLevel: 4,
        ratePerSecond: 50,
        enabled: true,
      }),
    ),
  };
  return { document, taiyuan: to(TAIYUAN_BASE), changzhi: to(CHANGZHI_BASE) };
}
