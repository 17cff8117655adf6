import type { Gateway, WebhookSubscription } from '@yujing/schemas';

/** Secrets never leave the API: hashes and webhook secrets are replaced by this marker. */
export const MASK = '********';

export const maskGateway = (g: Gateway) => ({
  ...g,
  credentials: { mqttPasswordHash: MASK, httpTokenSha256: MASK },
});
export const maskSubscription = (s: WebhookSubscription) => ({ ...s, secret: MASK });
