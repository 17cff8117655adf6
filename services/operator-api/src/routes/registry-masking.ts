import type { ContactChannel, Gateway, Person, WebhookSubscription } from '@yujing/schemas';

/** Secrets never leave the API: hashes and webhook secrets are replaced by this marker. */
export const MASK = '********';

export const maskGateway = (g: Gateway) => ({
  ...g,
  credentials: { mqttPasswordHash: MASK, httpTokenSha256: MASK },
});
export const maskSubscription = (s: WebhookSubscription) => ({ ...s, secret: MASK });

/** Robot URLs carry their access token or key, DingTalk robots a sign secret: both are masked. */
const maskChannel = (c: ContactChannel): ContactChannel =>
  c.kind === 'dingtalk'
    ? { ...c, webhookUrl: maskQuery(c.webhookUrl), ...(c.secret ? { secret: MASK } : {}) }
    : c.kind === 'wecom'
      ? { ...c, webhookUrl: maskQuery(c.webhookUrl) }
      : c;
const maskQuery = (url: string) => url.replace(/\?.*$/, `?${MASK}`);
export const maskPerson = (p: Person) => ({ ...p, channels: p.channels.map(maskChannel) });
