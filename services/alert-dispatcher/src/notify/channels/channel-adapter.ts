import type { ChannelKind, ContactChannel } from '@yujing/schemas';
import type { RenderedNotice } from '../notice-templates';

/**
 * One way of reaching a person (DingTalk robot, WeCom robot, SMS, voice, e-mail), behind one
 * interface so the delivery machinery (receipt, retries, dead letter, replay) is the webhooks'.
 */

export interface ChannelMessage {
  event: string;
  /** The delivery id: providers that accept one (OutId) get it, so a retry is traceable. */
  deliveryId: string;
  notice: RenderedNotice;
}

export type ChannelOutcome =
  | { kind: 'delivered'; httpStatus: number | null; latencyMs: number; detail?: string }
  /**
   * Not delivered. `retryable` false = retrying cannot help (a permanent provider error such as
   * an invalid number or a rejected template, a forbidden target, a channel not configured).
   */
  | { kind: 'failed'; retryable: boolean; httpStatus: number | null; latencyMs: number; error: string };

export interface ChannelAdapter<C extends ContactChannel = ContactChannel> {
  readonly kind: C['kind'];
  /** What the receipt names as target: never a secret (no tokens, keys or passwords). */
  target(channel: C): string;
  send(channel: C, message: ChannelMessage, timeoutMs: number): Promise<ChannelOutcome>;
}

export type ChannelAdapters = { [K in ChannelKind]: ChannelAdapter<Extract<ContactChannel, { kind: K }>> };

/** A provider answer code sorted into "try again later" or "permanent". */
export interface ProviderCodePolicy {
  /** Codes that can never succeed on retry (configuration or addressing errors). */
  permanent: ReadonlySet<string>;
}

/** Unknown codes retry (bounded by the attempts): a lost alarm is worse than an extra attempt. */
export const isRetryableCode = (policy: ProviderCodePolicy, code: string) => !policy.permanent.has(code);

/** The adapter of a channel's kind, typed for that channel. */
function adapterFor(adapters: ChannelAdapters, channel: ContactChannel): ChannelAdapter {
  return adapters[channel.kind] as unknown as ChannelAdapter;
}

export const channelTarget = (adapters: ChannelAdapters, channel: ContactChannel): string =>
  adapterFor(adapters, channel).target(channel);

export const sendThroughChannel = (
  adapters: ChannelAdapters,
  channel: ContactChannel,
  message: ChannelMessage,
  timeoutMs: number,
): Promise<ChannelOutcome> => adapterFor(adapters, channel).send(channel, message, timeoutMs);
