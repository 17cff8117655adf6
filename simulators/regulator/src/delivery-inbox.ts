import {
  type WebhookPayload,
  WebhookPayload as WebhookPayloadSchema,
  type WebhookSubscription,
} from '@yujing/schemas';
import { HEADER_DELIVERY, HEADER_EVENT, type HeaderSource, verifyWebhook } from '@yujing/webhook-signature';

/** What the regulator keeps of one request (a JSON line in the record file). */
export interface DeliveryRecordLine {
  receivedAt: number;
  subscriptionId: string | null;
  path: string;
  deliveryId: string | null;
  event: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'failed-on-purpose';
  status: number;
  reason?: string;
  attempt: number;
  payload?: WebhookPayload;
}

export interface InboxResponse {
  status: number;
  body: Record<string, unknown>;
  record: DeliveryRecordLine;
}

export interface InboxOptions {
  subscriptions: readonly Pick<WebhookSubscription, 'id' | 'url' | 'secret'>[];
  toleranceSec?: number;
  /** Answer 503 to the first N attempts of each delivery (to watch retries); 0 = never. */
  failFirst?: number;
  /** Delivery ids remembered for de-duplication. */
  rememberIds?: number;
}

/**
 * A regulator's webhook endpoint, without the socket: routes by URL path to the subscription,
 * verifies the signature with its secret, validates the payload, and de-duplicates by delivery
 * id (a retried delivery is acknowledged again but counted once). Every request yields a record.
 */
export class DeliveryInbox {
  readonly #byPath: Map<string, Pick<WebhookSubscription, 'id' | 'url' | 'secret'>>;
  readonly #seen = new Set<string>();
  readonly #attempts = new Map<string, number>();
  readonly #remember: number;

  constructor(private readonly opts: InboxOptions) {
    this.#byPath = new Map(opts.subscriptions.map((s) => [new URL(s.url).pathname, s]));
    this.#remember = opts.rememberIds ?? 100_000;
  }

  handle(req: { path: string; headers: HeaderSource; body: Buffer; nowMs: number }): InboxResponse {
    const deliveryId = headerOf(req.headers, HEADER_DELIVERY);
    const event = headerOf(req.headers, HEADER_EVENT);
    const attempt = deliveryId ? (this.#attempts.get(deliveryId) ?? 0) + 1 : 1;
    if (deliveryId) this.#attempts.set(deliveryId, attempt);
    const base = { receivedAt: req.nowMs, path: req.path, deliveryId, event, attempt };
    const reject = (status: number, reason: string, subscriptionId: string | null = null): InboxResponse => ({
      status,
      body: { type: 'about:blank', title: reason, status },
      record: { ...base, subscriptionId, outcome: 'rejected', status, reason },
    });

    const sub = this.#byPath.get(req.path);
    if (!sub) return reject(404, `no subscription listens on ${req.path}`);
    const verified = verifyWebhook({
      secret: sub.secret,
      body: req.body,
      headers: req.headers,
      nowMs: req.nowMs,
      ...(this.opts.toleranceSec !== undefined ? { toleranceSec: this.opts.toleranceSec } : {}),
    });
    if (!verified.ok) return reject(401, `signature: ${verified.reason}`, sub.id);
    if (!deliveryId) return reject(400, 'missing X-Yujing-Delivery', sub.id);
    let json: unknown;
    try {
      json = JSON.parse(req.body.toString('utf8'));
    } catch {
      return reject(400, 'body is not JSON', sub.id);
    }
    const payload = WebhookPayloadSchema.safeParse(json);
    if (!payload.success) {
      const first = payload.error.issues[0];
      return reject(400, `payload: ${first?.path.join('.') || '(root)'}: ${first?.message}`, sub.id);
    }
    if (attempt <= (this.opts.failFirst ?? 0)) {
      const status = 503;
      return {
        status,
        body: { title: 'failing on purpose (REGULATOR_FAIL_FIRST)', attempt },
        record: {
          ...base,
          subscriptionId: sub.id,
          outcome: 'failed-on-purpose',
          status,
          payload: payload.data,
        },
      };
    }
    const duplicate = this.#seen.has(deliveryId);
    if (!duplicate) this.#remember_(deliveryId);
    return {
      status: 200,
      body: { received: deliveryId, duplicate },
      record: {
        ...base,
        subscriptionId: sub.id,
        outcome: duplicate ? 'duplicate' : 'accepted',
        status: 200,
        payload: payload.data,
      },
    };
  }

  #remember_(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > this.#remember) {
      const oldest = this.#seen.values().next().value as string;
      this.#seen.delete(oldest);
      this.#attempts.delete(oldest);
    }
  }
}

function headerOf(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name);
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}
