import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The yujing webhook signature (docs/webhooks.md, DESIGN §6):
 *   X-Yujing-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 * where `timestamp` is the X-Yujing-Timestamp header (unix seconds) and `body` the raw request
 * bytes exactly as sent. Pure functions, no I/O, usable by receivers with no other yujing code.
 */

export const HEADER_EVENT = 'x-yujing-event';
export const HEADER_DELIVERY = 'x-yujing-delivery';
export const HEADER_TIMESTAMP = 'x-yujing-timestamp';
export const HEADER_SIGNATURE = 'x-yujing-signature';

/** Default accepted clock difference between sender and receiver, in seconds (stops replays). */
export const DEFAULT_TOLERANCE_SEC = 300;

const PREFIX = 'sha256=';
const HEX_64 = /^[0-9a-f]{64}$/;

export type Body = string | Buffer | Uint8Array;

function toBuffer(body: Body): Buffer {
  return typeof body === 'string'
    ? Buffer.from(body, 'utf8')
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** `sha256=<hex>` for one secret, timestamp (unix seconds) and raw body. */
export function computeSignature(secret: string, timestampSec: number | string, body: Body): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestampSec}.`, 'utf8');
  mac.update(toBuffer(body));
  return `${PREFIX}${mac.digest('hex')}`;
}

export interface SignOptions {
  secret: string;
  body: Body;
  event: string;
  deliveryId: string;
  /** Clock in ms (tests); Date.now() by default. */
  nowMs?: number;
}

/** The four X-Yujing-* headers for one attempt (the timestamp, hence the signature, changes per attempt). */
export function signWebhook(opts: SignOptions): Record<string, string> {
  const timestamp = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  return {
    [HEADER_EVENT]: opts.event,
    [HEADER_DELIVERY]: opts.deliveryId,
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_SIGNATURE]: computeSignature(opts.secret, timestamp, opts.body),
  };
}

export type VerifyFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'missing-timestamp'
  | 'malformed-timestamp'
  | 'timestamp-out-of-tolerance'
  | 'signature-mismatch';

export type VerifyResult =
  | { ok: true; timestampSec: number; deliveryId: string | undefined; event: string | undefined }
  | { ok: false; reason: VerifyFailure };

/** Header lookups accept Node's IncomingHttpHeaders, a Fetch `Headers`, or a plain record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const rec = headers as Record<string, string | string[] | undefined>;
  const hit = rec[name] ?? Object.entries(rec).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(hit) ? hit[0] : hit;
}

export interface VerifyOptions {
  /** The subscription secret; several during a rotation (any one may match). */
  secret: string | readonly string[];
  /** The raw request body, byte for byte (verify before JSON.parse). */
  body: Body;
  headers: HeaderSource;
  /** Accepted |now - timestamp| in seconds (default 300). */
  toleranceSec?: number;
  /** Clock in ms (tests); Date.now() by default. */
  nowMs?: number;
}

/**
 * Checks a received webhook: the timestamp is within the tolerance window and the signature
 * matches (constant-time compare). Never throws on bad input; says why it refused.
 */
export function verifyWebhook(opts: VerifyOptions): VerifyResult {
  const signature = header(opts.headers, HEADER_SIGNATURE)?.trim();
  if (!signature) return { ok: false, reason: 'missing-signature' };
  const hex = signature.startsWith(PREFIX) ? signature.slice(PREFIX.length).toLowerCase() : '';
  if (!HEX_64.test(hex)) return { ok: false, reason: 'malformed-signature' };
  const rawTimestamp = header(opts.headers, HEADER_TIMESTAMP)?.trim();
  if (!rawTimestamp) return { ok: false, reason: 'missing-timestamp' };
  if (!/^\d{1,12}$/.test(rawTimestamp)) return { ok: false, reason: 'malformed-timestamp' };
  const timestampSec = Number(rawTimestamp);
  const nowSec = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSec - timestampSec) > (opts.toleranceSec ?? DEFAULT_TOLERANCE_SEC)) {
    return { ok: false, reason: 'timestamp-out-of-tolerance' };
  }
  const received = Buffer.from(hex, 'hex');
  const secrets = typeof opts.secret === 'string' ? [opts.secret] : opts.secret;
  let match = false;
  for (const secret of secrets) {
    const expected = Buffer.from(
      computeSignature(secret, rawTimestamp, opts.body).slice(PREFIX.length),
      'hex',
    );
    // Both are 32 bytes; timingSafeEqual keeps the comparison time independent of the content.
    if (timingSafeEqual(expected, received)) match = true;
  }
  if (!match) return { ok: false, reason: 'signature-mismatch' };
  return {
    ok: true,
    timestampSec,
    deliveryId: header(opts.headers, HEADER_DELIVERY),
    event: header(opts.headers, HEADER_EVENT),
  };
}
