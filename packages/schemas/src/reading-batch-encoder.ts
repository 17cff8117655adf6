import type { ReadingBatch } from './telemetry';

/**
 * A `yj.readings.v1` record value as UTF-8 JSON, written byte by byte into a reused scratch buffer
 * instead of JSON.stringify (~14 % of gateway-ingest's CPU at 80k readings/s), whose time went
 * mostly to turning numbers into strings and then the string into UTF-8. For every value the
 * `ReadingBatch` schema outputs (keys in schema order, no unknown keys), the bytes are exactly
 * `Buffer.from(JSON.stringify(batch))`; test/reading-batch-encoder.test.ts holds the two equal.
 *
 * Why each field needs no generic encoding: `gatewayId` and `point` are LocalIds (letters, digits,
 * ".", "-", "_": ASCII, nothing to escape); `source` and `q` are enums of plain words; numbers as
 * in `writeNumber`. `enterpriseId` and `kind` are any non-empty strings: written as they are when
 * printable ASCII without `"` or `\`, else through JSON.stringify and Buffer.from.
 * Only the keys above are written: unknown keys (which zod strips) are not. Synchronous, so one
 * scratch buffer serves every call; the result is a copy the caller owns.
 */
export function encodeReadingBatch(batch: ReadingBatch): Buffer {
  // the buffer and position live in locals (module-level `let`s cost a context load, store and
  // hole check per byte); each write returns the next position
  const enterpriseId = jsonStringBytes(batch.enterpriseId, '', '');
  let o = reserve(scratch, 0, enterpriseId.length + batch.gatewayId.length + 256);
  let p = writeAscii(o, 0, '{"v":');
  p = writeNumber(o, p, batch.v);
  p = writeAscii(o, p, ',"enterpriseId":');
  p = writeBytes(o, p, enterpriseId);
  p = writeAscii(o, p, ',"gatewayId":"');
  p = writeAscii(o, p, batch.gatewayId);
  p = writeAscii(o, p, '","seq":');
  p = writeNumber(o, p, batch.seq);
  p = writeAscii(o, p, ',"source":"');
  p = writeAscii(o, p, batch.source);
  p = writeAscii(o, p, '","sentAt":');
  p = writeNumber(o, p, batch.sentAt);
  p = writeAscii(o, p, ',"receivedAt":');
  p = writeNumber(o, p, batch.receivedAt);
  p = writeAscii(o, p, ',"readings":[');
  const { readings } = batch;
  // a batch's readings mostly share a few kinds (the same string objects, from the registry)
  let lastKind: string | undefined;
  /** `","kind":<kind as JSON>,"ts":`, the text between a reading's point and its ts. */
  let kindToTs: Uint8Array = EMPTY;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    if (r.kind !== lastKind) {
      lastKind = r.kind;
      kindToTs = jsonStringBytes(r.kind, '","kind":', ',"ts":');
    }
    const room = r.point.length + kindToTs.length + READING_BYTES_BESIDES_POINT_AND_KIND;
    if (p + room > o.length) o = reserve(o, p, room);
    p = writeAscii(o, p, i === 0 ? '{"point":"' : ',{"point":"');
    p = writeAscii(o, p, r.point);
    p = writeBytes(o, p, kindToTs);
    p = writeNumber(o, p, r.ts);
    p = writeAscii(o, p, ',"v":');
    p = writeNumber(o, p, r.v);
    p = writeAscii(o, p, ',"q":"');
    p = writeAscii(o, p, r.q);
    p = writeAscii(o, p, '"}');
  }
  o = reserve(o, p, 2);
  p = writeAscii(o, p, ']}');
  scratch = o;
  const result = Buffer.allocUnsafe(p);
  o.copy(result, 0, 0, p);
  return result;
}

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const EMPTY = new Uint8Array(0);
/** The rest of a reading's fixed text (24, rounded up), ts and v (≤ 24 each: "-1.7976931348623157e+308"), q (≤ 9). */
const READING_BYTES_BESIDES_POINT_AND_KIND = 50 + 2 * 24 + 9;

/** Reused between calls (they are synchronous); grows, never shrinks. */
let scratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024);

/** `o`, or a bigger copy of its first `p` bytes, with room for `bytes` more after `p`. */
function reserve(o: Buffer, p: number, bytes: number): Buffer {
  if (p + bytes <= o.length) return o;
  const bigger = Buffer.allocUnsafeSlow(Math.max(2 * o.length, p + bytes));
  o.copy(bigger, 0, 0, p);
  return bigger;
}

/** Text known to be ASCII (char codes below 128): one byte per character. */
function writeAscii(o: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) o[p++] = s.charCodeAt(i);
  return p;
}

/** `set` (a memcpy) beat a byte loop by 10-15 % for the 30-odd bytes of `kindToTs`. */
function writeBytes(o: Buffer, p: number, bytes: Uint8Array): number {
  o.set(bytes, p);
  return p + bytes.length;
}

/**
 * `before`, the string as JSON.stringify writes it, then `after`, in UTF-8 (`before` and `after`
 * are ASCII). The string is quoted as is when every character is printable ASCII other than `"`
 * and `\` (JSON.stringify escapes `"`, `\`, controls below U+0020 and lone surrogates, and writes
 * everything else verbatim); otherwise it is JSON.stringify's own text.
 */
function jsonStringBytes(s: string, before: string, after: string): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c)
      return Buffer.from(`${before}${JSON.stringify(s)}${after}`);
  }
  return Buffer.from(`${before}"${s}"${after}`, 'latin1');
}

/**
 * A number as JSON.stringify writes it. V8 needs ~130–200 ns to print a number that is not a
 * small integer (epoch ms past 2^31, values with decimals), 280 of them per 140-reading batch, so
 * two exact shortcuts write digits directly; anything else is `String(x)` (JSON.stringify's form
 * for finite numbers) or "null".
 *
 * - Safe integers (|x| < 2^53): their decimal digits (ECMAScript prints integers below 1e21 in
 *   full, and a safe integer's digits are its shortest round-trip form).
 * - Magnitudes below 1e9 with at most three decimals: k = round(a·1000) and k/1000 === a (IEEE
 *   division rounds correctly, so the decimal k/1000 round-trips to a). ECMAScript prints the
 *   decimal with the fewest significant digits that round-trips; any other decimal with no more
 *   digits than k/1000 is a multiple of 1e-4 and at least 1e-4 away from it, while all decimals
 *   that round-trip lie within one ulp (< 2.3e-7 below 1e9) of a; so k/1000, trailing zeros
 *   dropped, is that decimal, and at or above 1e-3 (or 0) it prints without an exponent.
 * −0 prints "0" in both. test/reading-batch-encoder.test.ts checks hundreds of thousands of
 * numbers, borders included, against JSON.stringify.
 */
function writeNumber(o: Buffer, p: number, x: number): number {
  const a = x < 0 ? -x : x;
  if (a < 1e9) {
    const k = Math.round(a * 1000);
    if (k / 1000 === a) {
      if (x < 0) o[p++] = MINUS;
      const whole = Math.floor(a);
      p = writeDigits(o, p, whole);
      const millis = k - whole * 1000;
      if (millis === 0) return p;
      o[p++] = DOT;
      const tenths = Math.floor(millis / 100);
      o[p++] = ZERO + tenths;
      const rest = millis - tenths * 100;
      if (rest === 0) return p;
      const hundredths = Math.floor(rest / 10);
      o[p++] = ZERO + hundredths;
      const thousandths = rest - hundredths * 10;
      if (thousandths !== 0) o[p++] = ZERO + thousandths;
      return p;
    }
  } else if (a <= Number.MAX_SAFE_INTEGER && Number.isInteger(a)) {
    if (x < 0) o[p++] = MINUS;
    return writeDigits(o, p, a);
  }
  return writeAscii(o, p, Number.isFinite(x) ? `${x}` : 'null');
}

/** The decimal digits of an integer in [0, 2^53) (−0 as "0"), in int32 arithmetic. */
function writeDigits(o: Buffer, p: number, n: number): number {
  if (n < 1e8) return writeInt32Digits(o, p, n | 0);
  // exact: n/1e8 < 2^27, where half an ulp (≤ 2^-27 ≈ 7.5e-9) is less than the 1e-8 between
  // q + 0.99999999 and q + 1, so the quotient never rounds up to the next integer
  const high = Math.floor(n / 1e8);
  const low = n - high * 1e8;
  p = writeInt32Digits(o, p, high | 0);
  let m = low | 0;
  for (let i = p + 7; i >= p; i--) {
    const q = (m / 10) | 0;
    o[i] = ZERO + (m - q * 10);
    m = q;
  }
  return p + 8;
}

/** The digits of an integer in [0, 1e8). */
function writeInt32Digits(o: Buffer, p: number, m: number): number {
  let end = p + 1;
  for (let power = 10; power <= m; power *= 10) end++;
  let i = end;
  while (m >= 10) {
    const q = (m / 10) | 0;
    o[--i] = ZERO + (m - q * 10);
    m = q;
  }
  o[--i] = ZERO + m;
  return end;
}

/** For the tests: one number as `encodeReadingBatch` writes it. */
export function encodeJsonNumber(x: number): string {
  const o = Buffer.alloc(32);
  return o.toString('latin1', 0, writeNumber(o, 0, x));
}
