/**
 * A gateway timestamp (ISO-8601 with an explicit offset, or epoch ms) as UTC epoch ms. The ISO
 * form has already passed the schema (offset required), so Date.parse is unambiguous here.
 * Date.parse costs ~0.5 µs, more than checking the whole reading, so the form gateways send
 * (`YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`) is computed directly; anything else, or any field out
 * of its everyday range, still goes to Date.parse. Unit tests hold the two equal.
 */
export function toEpochMs(ts: string | number): number {
  if (typeof ts === 'number') return ts;
  const ms = isoWithOffsetToEpochMs(ts);
  return ms === undefined ? Date.parse(ts) : ms;
}

const ZERO = 48;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The two-digit number at `i`, or -1 when either character is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - ZERO;
  const b = s.charCodeAt(i + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Epoch ms of `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)` with fields in range; undefined otherwise. */
function isoWithOffsetToEpochMs(s: string): number | undefined {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84)
    return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let i = 19;
  let fractionMs = 0;
  if (s.charCodeAt(i) === 46) {
    // Date.parse keeps the first three fraction digits (".1" is 100 ms) and drops the rest
    i++;
    const start = i;
    for (let c = s.charCodeAt(i) - ZERO; c >= 0 && c <= 9; c = s.charCodeAt(++i) - ZERO) {
      if (i - start < 3) fractionMs = fractionMs * 10 + c;
    }
    const digits = i - start;
    if (digits === 0 || digits > 9) return undefined;
    if (digits === 1) fractionMs *= 100;
    else if (digits === 2) fractionMs *= 10;
  }
  let offsetMinutes = 0;
  const sign = s.charCodeAt(i);
  if (sign === 90) {
    if (s.length !== i + 1) return undefined;
  } else if (sign === 43 || sign === 45) {
    if (s.length !== i + 6 || s.charCodeAt(i + 3) !== 58) return undefined;
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMinutes = sign === 43 ? oh * 60 + om : -(oh * 60 + om);
  } else {
    return undefined;
  }
  const days = daysFromCivil(hi * 100 + lo, month, day);
  return (
    days * DAY_MS +
    hour * 3_600_000 +
    minute * MINUTE_MS +
    second * 1000 +
    fractionMs -
    offsetMinutes * MINUTE_MS
  );
}
