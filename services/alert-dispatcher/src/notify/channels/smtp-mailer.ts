import type { ContactChannel } from '@yujing/schemas';
import nodemailer from 'nodemailer';
import type { ChannelAdapter } from './channel-adapter';

type EmailChannel = Extract<ContactChannel, { kind: 'email' }>;

/**
 * E-mail over SMTP with nodemailer: one pooled transport per dispatcher. SMTP 5xx answers
 * (mailbox unknown, relay denied) are permanent; 4xx (greylisting, mailbox busy), connection
 * errors and timeouts are retried.
 */
export interface SmtpMailerOptions {
  /** smtp://user:pass@host:port or smtps://…; undefined = e-mail not configured. */
  url: string | undefined;
  from: string;
  timeoutMs: number;
}

export function emailAdapter(opts: SmtpMailerOptions): ChannelAdapter<EmailChannel> & { close(): void } {
  const transport = opts.url
    ? nodemailer.createTransport(opts.url, {
        connectionTimeout: opts.timeoutMs,
        greetingTimeout: opts.timeoutMs,
        socketTimeout: opts.timeoutMs,
        from: opts.from,
      })
    : undefined;
  let target = 'email:not-configured';
  if (opts.url) {
    try {
      const u = new URL(opts.url);
      target = `email:${u.protocol}//${u.host}`; // no credentials in receipts
    } catch {
      target = 'email:invalid-url';
    }
  }
  return {
    kind: 'email',
    target: () => target,
    async send(channel, message) {
      const started = performance.now();
      const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
      if (!transport)
        return {
          kind: 'failed',
          retryable: false,
          httpStatus: null,
          latencyMs: 0,
          error: 'e-mail not configured (NOTIFY_SMTP_URL)',
        };
      try {
        const info = await transport.sendMail({
          to: channel.address,
          subject: message.notice.title,
          text: message.notice.text,
          headers: { 'X-Yujing-Delivery': message.deliveryId, 'X-Yujing-Event': message.event },
        });
        return {
          kind: 'delivered',
          httpStatus: null,
          latencyMs: elapsed(),
          detail: String(info.messageId ?? ''),
        };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        return {
          kind: 'failed',
          retryable: !permanent,
          httpStatus: null,
          latencyMs: elapsed(),
          error: `smtp ${e.responseCode ?? e.code ?? 'error'}: ${e.message}`.slice(0, 500),
        };
      }
    },
    close: () => transport?.close(),
  };
}
