import { escapeQuoted, escapeUnquoted, IlpNameCache } from './ilp-names';
import type { IlpRow, IlpValue } from './ilp-row';
import { questdbErrors } from './questdb-errors';

/**
 * Encodes IlpRows into ILP bytes, byte for byte what @questdb/nodejs-client 4.2.0 produces with
 * protocol_version=2 (appendRow over a Sender), without its per-character `Buffer.write` calls:
 *
 *   table,sym=value,… col=<value>,… <designated µs>t\n
 *
 * doubles `=` 0x10 float64-LE; longs `123i`; booleans `t`/`f`; strings `"…"`; timestamp columns and
 * the designated timestamp in µs with a `t` suffix (the client's v2 form for millisecond input).
 * Names and symbol values escape ` ` `,` `=` `\n` `\r` `\`; strings escape `"` `\n` `\r` `\`.
 *
 * A text with nothing to escape is copied as it is scanned when short and ASCII, or written with one
 * `Buffer.write` otherwise; only a text that needs escaping is escaped first (then one write).
 * A piece of a row that is the same as at the same place in an earlier row of the batch (table,
 * `,name=value`, designated timestamp) is copied from that row's bytes instead of encoded again.
 */

/** The client's default max_buf_size (100 MiB): a batch encoding to more is refused. */
export const MAX_ENCODED_BYTES = 100 * 1024 * 1024;
const INITIAL_BYTES = 64 * 1024;
/** Longer ASCII texts are scanned, then written by one `Buffer.write` (faster than a copy loop). */
const COPY_WHILE_SCANNING_MAX = 64;
/** Copies of more bytes are one `copyWithin` (a byte loop costs ~1.5 ns a byte, the call ~25 ns). */
const COPY_LOOP_MAX = 16;

const SPACE = 0x20;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;
const LETTER_I = 0x69;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
const QUOTE = 0x22;
const ENTITY_TYPE_DOUBLE = 16;

/** Escape classes of ASCII characters: bit 1 outside quotes (names, symbols), bit 2 inside quotes. */
const UNQUOTED = 1;
const QUOTED = 2;
const ESCAPE_CLASS = new Uint8Array(128);
for (const ch of ' ,=') ESCAPE_CLASS[ch.charCodeAt(0)] = UNQUOTED;
for (const ch of '\n\r\\') ESCAPE_CLASS[ch.charCodeAt(0)] = UNQUOTED | QUOTED;
ESCAPE_CLASS[QUOTE] = QUOTED;

/** Field positions per row with memoised names, timestamps and symbol values (more are looked up). */
const MAX_SLOTS = 32;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reusable encoder. `encode(rows)` returns a view of its own buffer, valid until the next call;
 * callers that send it must finish sending before encoding again (IlpWriter serialises writes).
 */
export class IlpEncoder {
  #buf: Buffer;
  #pos = 0;
  readonly #names = new IlpNameCache();
  readonly #double = new Float64Array(1);
  readonly #doubleBytes = new Uint8Array(this.#double.buffer);
  /**
   * Rows of a batch repeat most of their bytes: the same table, enterprise, kind, quality, gateway,
   * received_at and often ts. Each piece of a row (the table; `,name=value` of a field; the designated
   * timestamp) is remembered with where it was last written in this batch, and when the next row's
   * piece is the same (same strings, the same column object, the same separator) its bytes are
   * copied from there; adjacent copies are merged into one run (one `copyWithin` when long).
   */
  #tableName: string | undefined;
  #tableAt = -1;
  #tableEnd = 0;
  #designatedMs = Number.NaN;
  #designatedMicros = '';
  #designatedAt = -1;
  #designatedEnd = 0;
  /** Per field position (symbols, then columns, in row order; the first MAX_SLOTS). */
  readonly #slotName: (string | undefined)[] = new Array(MAX_SLOTS).fill(undefined);
  readonly #slotNameBytes: Uint8Array[] = new Array(MAX_SLOTS).fill(new Uint8Array(0));
  readonly #slotMs = new Float64Array(MAX_SLOTS).fill(Number.NaN);
  readonly #slotMicros: string[] = new Array(MAX_SLOTS).fill('');
  /** The field last written at the position in this batch: name, value, separator, where. */
  readonly #fieldName: (string | undefined)[] = new Array(MAX_SLOTS).fill(undefined);
  readonly #fieldValue: unknown[] = new Array(MAX_SLOTS).fill(undefined);
  readonly #fieldSeparator = new Uint8Array(MAX_SLOTS);
  readonly #fieldAt = new Int32Array(MAX_SLOTS).fill(-1);
  readonly #fieldEnd = new Int32Array(MAX_SLOTS);
  /** Positions whose field may be set (cleared at the start of every batch). */
  #slotsUsed = 0;
  /** The pending copy: `#runLength` bytes from `#runFrom`, to be written at `#pos`. */
  #runFrom = 0;
  #runLength = 0;

  readonly #maxBytes: number;

  /** `maxBytes`: a batch encoding to more is refused (default: the client's max_buf_size). */
  constructor({ initialBytes = INITIAL_BYTES, maxBytes = MAX_ENCODED_BYTES } = {}) {
    this.#buf = Buffer.allocUnsafe(Math.min(initialBytes, maxBytes));
    this.#maxBytes = maxBytes;
  }

  /** Encodes the rows; throws YJ_ERR_QUESTDB_ROWS_REJECTED naming the first row the client would refuse. */
  encode(rows: readonly IlpRow[]): Buffer {
    this.#pos = 0;
    this.#runLength = 0;
    // The bytes of the previous batch are gone: nothing may be copied from them.
    this.#tableAt = -1;
    this.#designatedAt = -1;
    for (let i = 0; i < this.#slotsUsed; i++) {
      this.#fieldAt[i] = -1;
      this.#fieldValue[i] = undefined;
    }
    this.#slotsUsed = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as IlpRow;
      try {
        this.#row(row);
      } catch (err) {
        throw questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED(
          `row ${i} cannot be encoded: ${(err as Error).message}`,
          { cause: err, context: { rowIndex: i, table: row?.table } },
        );
      }
    }
    return this.#buf.subarray(0, this.#pos);
  }

  #row(row: IlpRow): void {
    const table = row.table;
    if (table === this.#tableName && this.#tableAt >= 0) {
      const at = this.#copy(this.#tableAt, this.#tableEnd);
      this.#tableEnd = at + (this.#tableEnd - this.#tableAt);
      this.#tableAt = at;
    } else {
      const bytes = this.#names.table(table);
      this.#flush();
      this.#tableAt = this.#pos;
      this.#ensure(bytes.length);
      this.#bytes(bytes);
      this.#tableName = table;
      this.#tableEnd = this.#pos;
    }
    let fields = 0;
    let slot = 0;
    const symbols = row.symbols;
    for (const name in symbols) {
      const value = symbols[name];
      // A null symbol's name is not looked at (nor validated), as the client never sees it.
      if (value !== null && value !== undefined) {
        if (!this.#copyField(slot, name, value, COMMA)) {
          const nameBytes = this.#nameBytes(slot, name);
          this.#flush();
          const at = this.#pos;
          this.#ensure(2 + nameBytes.length);
          this.#name(COMMA, nameBytes);
          if (typeof value === 'string') {
            this.#text(value, UNQUOTED);
            this.#remember(slot, name, value, COMMA, at);
          } else {
            this.#text(String(value), UNQUOTED);
          }
        }
        fields++;
      }
      slot++;
    }
    let separator = SPACE;
    const columns = row.columns;
    for (const name in columns) {
      const column = columns[name];
      if (column) {
        if (!this.#copyField(slot, name, column, separator)) {
          this.#flush();
          const at = this.#pos;
          this.#column(separator, this.#nameBytes(slot, name), column, slot);
          this.#remember(slot, name, column, separator, at);
        }
        separator = COMMA;
        fields++;
      }
      slot++;
    }
    if (fields === 0) throw new Error('The row must have a symbol or column set before it is closed');
    const tsMs = row.tsMs;
    if (tsMs === this.#designatedMs && this.#designatedAt >= 0) {
      const at = this.#copy(this.#designatedAt, this.#designatedEnd);
      this.#designatedEnd = at + (this.#designatedEnd - this.#designatedAt);
      this.#designatedAt = at;
      this.#flush();
      return;
    }
    if (!Number.isInteger(tsMs)) {
      throw new Error(`Designated timestamp must be an integer or BigInt, received ${tsMs}`);
    }
    let micros = this.#designatedMicros;
    if (tsMs !== this.#designatedMs) {
      micros = microsDigits(tsMs);
      this.#designatedMs = tsMs;
      this.#designatedMicros = micros;
    }
    this.#flush();
    this.#designatedAt = this.#pos;
    this.#ensure(micros.length + 3);
    this.#buf[this.#pos++] = SPACE;
    this.#ascii(micros);
    this.#buf[this.#pos++] = LETTER_T;
    this.#buf[this.#pos++] = NEWLINE;
    this.#designatedEnd = this.#pos;
  }

  /**
   * Adds `from..end` (bytes written earlier in this batch) to the pending copy and returns where
   * they will be in the buffer; the copy is written by `#flush` before anything else is.
   */
  #copy(from: number, end: number): number {
    const at = this.#pos + this.#runLength;
    if (this.#runLength > 0 && this.#runFrom + this.#runLength === from) {
      this.#runLength += end - from;
    } else {
      this.#flush();
      this.#runFrom = from;
      this.#runLength = end - from;
    }
    return at;
  }

  /** Writes the pending copy: a loop for a few bytes, `copyWithin` for more. */
  #flush(): void {
    const length = this.#runLength;
    if (length === 0) return;
    this.#runLength = 0;
    this.#ensure(length);
    const buf = this.#buf;
    const pos = this.#pos;
    const from = this.#runFrom;
    if (length <= COPY_LOOP_MAX) {
      for (let i = 0; i < length; i++) buf[pos + i] = buf[from + i] as number;
    } else {
      buf.copyWithin(pos, from, from + length);
    }
    this.#pos = pos + length;
  }

  /** Copies the field when the one last written at this position is the same; false if not. */
  #copyField(slot: number, name: string, value: unknown, separator: number): boolean {
    if (
      slot >= MAX_SLOTS ||
      this.#fieldValue[slot] !== value ||
      this.#fieldName[slot] !== name ||
      this.#fieldSeparator[slot] !== separator
    ) {
      return false;
    }
    const from = this.#fieldAt[slot] as number;
    if (from < 0) return false;
    const end = this.#fieldEnd[slot] as number;
    const at = this.#copy(from, end);
    this.#fieldAt[slot] = at;
    this.#fieldEnd[slot] = at + (end - from);
    return true;
  }

  /** Remembers the field just written from `at` (to `#pos`) at its position. */
  #remember(slot: number, name: string, value: unknown, separator: number, at: number): void {
    if (slot >= MAX_SLOTS) return;
    this.#fieldName[slot] = name;
    this.#fieldValue[slot] = value;
    this.#fieldSeparator[slot] = separator;
    this.#fieldAt[slot] = at;
    this.#fieldEnd[slot] = this.#pos;
    if (slot >= this.#slotsUsed) this.#slotsUsed = slot + 1;
  }

  /**
   * The name's bytes: rows of a batch have the same fields in the same order, so the name last seen
   * at this position is compared first (same string, usually the same pointer) before the cache.
   */
  #nameBytes(slot: number, name: string): Uint8Array {
    if (slot < MAX_SLOTS && this.#slotName[slot] === name) return this.#slotNameBytes[slot] as Uint8Array;
    const bytes = this.#names.column(name);
    if (slot < MAX_SLOTS) {
      this.#slotName[slot] = name;
      this.#slotNameBytes[slot] = bytes;
    }
    return bytes;
  }

  /** Writes `<separator>name=<value>`; checks the value first, as the client does. */
  #column(separator: number, name: Uint8Array, column: IlpValue, slot: number): void {
    const head = 2 + name.length;
    switch (column.type) {
      case 'double': {
        const value = column.value;
        if (typeof value !== 'number') {
          throw new Error(`Column value must be of type number, received ${typeof value}`);
        }
        this.#ensure(head + 10);
        this.#name(separator, name);
        this.#buf[this.#pos++] = EQUALS;
        this.#buf[this.#pos++] = ENTITY_TYPE_DOUBLE;
        this.#float64(value);
        return;
      }
      case 'long': {
        const value = column.value;
        if (!Number.isInteger(value)) throw new Error(`Value must be an integer, received ${value}`);
        const digits = String(value);
        this.#ensure(head + digits.length + 1);
        this.#name(separator, name);
        this.#ascii(digits);
        this.#buf[this.#pos++] = LETTER_I;
        return;
      }
      case 'string': {
        const value = column.value;
        if (typeof value !== 'string') {
          throw new Error(`Column value must be of type string, received ${typeof value}`);
        }
        this.#ensure(head + 1);
        this.#name(separator, name);
        this.#buf[this.#pos++] = QUOTE;
        this.#text(value, QUOTED);
        this.#ensure(1);
        this.#buf[this.#pos++] = QUOTE;
        return;
      }
      case 'boolean': {
        const value = column.value;
        if (typeof value !== 'boolean') {
          throw new Error(`Column value must be of type boolean, received ${typeof value}`);
        }
        this.#ensure(head + 1);
        this.#name(separator, name);
        this.#buf[this.#pos++] = value ? LETTER_T : LETTER_F;
        return;
      }
      case 'timestamp': {
        const ms = column.ms;
        if (!Number.isInteger(ms)) {
          throw new Error(`Timestamp value must be an integer or BigInt, received ${ms}`);
        }
        const micros = this.#columnMicros(slot, ms);
        this.#ensure(head + micros.length + 1);
        this.#name(separator, name);
        this.#ascii(micros);
        this.#buf[this.#pos++] = LETTER_T;
        return;
      }
      default:
        throw new Error(`Unknown column type: ${(column as { type: unknown }).type}`);
    }
  }

  #name(separator: number, name: Uint8Array): void {
    this.#buf[this.#pos++] = separator;
    this.#bytes(name);
    this.#buf[this.#pos++] = EQUALS;
  }

  /** A timestamp column's µs digits; the last conversion at each position is kept (received_at repeats). */
  #columnMicros(slot: number, ms: number): string {
    if (slot >= MAX_SLOTS) return microsDigits(ms);
    if (this.#slotMs[slot] === ms) return this.#slotMicros[slot] as string;
    const digits = microsDigits(ms);
    this.#slotMs[slot] = ms;
    this.#slotMicros[slot] = digits;
    return digits;
  }

  #float64(value: number): void {
    if (!LITTLE_ENDIAN) {
      this.#pos = this.#buf.writeDoubleLE(value, this.#pos);
      return;
    }
    this.#double[0] = value;
    const src = this.#doubleBytes;
    const buf = this.#buf;
    const pos = this.#pos;
    buf[pos] = src[0] as number;
    buf[pos + 1] = src[1] as number;
    buf[pos + 2] = src[2] as number;
    buf[pos + 3] = src[3] as number;
    buf[pos + 4] = src[4] as number;
    buf[pos + 5] = src[5] as number;
    buf[pos + 6] = src[6] as number;
    buf[pos + 7] = src[7] as number;
    this.#pos = pos + 8;
  }

  /**
   * Writes a text escaped for its place (UNQUOTED or QUOTED), making room for it: a short text gets
   * 3 bytes a UTF-16 unit (the most UTF-8 or an escape can take), a long one its exact length.
   */
  #text(text: string, place: number): void {
    const length = text.length;
    if (length <= COPY_WHILE_SCANNING_MAX) {
      this.#ensure(3 * length);
      const buf = this.#buf;
      const pos = this.#pos;
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        if ((ESCAPE_CLASS[c] as number) & place) {
          this.#escaped(text, place);
          return;
        }
        buf[pos + i] = c;
      }
      if (i === length) {
        this.#pos = pos + length;
        return;
      }
    }
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80 && (ESCAPE_CLASS[c] as number) & place) {
        this.#escaped(text, place);
        return;
      }
    }
    this.#write(text);
  }

  #escaped(text: string, place: number): void {
    this.#write(place === QUOTED ? escapeQuoted(text) : escapeUnquoted(text));
  }

  /** One `Buffer.write` of a whole text, after making room for its exact UTF-8 length. */
  #write(text: string): void {
    this.#ensure(text.length <= COPY_WHILE_SCANNING_MAX ? 3 * text.length : Buffer.byteLength(text));
    this.#pos += this.#buf.write(text, this.#pos);
  }

  /** Writes an ASCII-only string (digits); capacity ensured. */
  #ascii(text: string): void {
    const buf = this.#buf;
    const pos = this.#pos;
    for (let i = 0; i < text.length; i++) buf[pos + i] = text.charCodeAt(i);
    this.#pos = pos + text.length;
  }

  #bytes(bytes: Uint8Array): void {
    const buf = this.#buf;
    const pos = this.#pos;
    for (let i = 0; i < bytes.length; i++) buf[pos + i] = bytes[i] as number;
    this.#pos = pos + bytes.length;
  }

  /** Makes room for `bytes` more bytes, doubling the buffer (up to maxBytes). */
  #ensure(bytes: number): void {
    const needed = this.#pos + bytes;
    if (needed <= this.#buf.length) return;
    const max = this.#maxBytes;
    if (needed > max) throw new Error(`Max buffer size is ${max} bytes, requested buffer size: ${needed}`);
    let size = Math.max(this.#buf.length, 1) * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(Math.min(size, max));
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf = grown;
  }
}

/** Epoch ms → µs digits: exact in doubles up to 2^53 µs (year 2255), BigInt beyond, like the client. */
function microsDigits(ms: number): string {
  const micros = ms * 1000;
  return Number.isSafeInteger(micros) ? String(micros) : (BigInt(ms) * 1000n).toString();
}
