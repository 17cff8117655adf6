/**
 * Table and column names for ILP: validated with the rules of @questdb/nodejs-client 4.2.0
 * (`validateTableName`, `validateColumnName`, default `max_name_len` 127) and escaped as its
 * `writeEscaped` does, then cached as bytes. Names come from code and repeat on every row, so each
 * distinct name is validated and encoded once.
 */

/** The client's default (and our) maximum length of a table or column name, in UTF-16 units. */
export const MAX_NAME_LENGTH = 127;

/** Characters neither a table nor a column name may contain (the client's lists). */
const FORBIDDEN_IN_TABLE = new Set([
  '?',
  ',',
  "'",
  '"',
  '\\',
  '/',
  ':',
  ')',
  '(',
  '+',
  '*',
  '%',
  '~',
  '\u0000',
  '\u0001',
  '\u0002',
  '\u0003',
  '\u0004',
  '\u0005',
  '\u0006',
  '\u0007',
  '\u0008',
  '\u0009',
  '\u000b',
  '\u000c',
  '\r',
  '\n',
  '\u000e',
  '\u000f',
  '\u007f',
  '\ufeff',
]);
/** Column names also refuse `.` and `-`. */
const FORBIDDEN_IN_COLUMN = new Set([...FORBIDDEN_IN_TABLE, '.', '-']);

/** Above this many cached names a cache starts over; names come from code, so this is a leak guard. */
const MAX_CACHED_NAMES = 4096;

/** Throws the client's error for a table name it refuses. */
export function validateTableName(name: string): void {
  const len = name.length;
  if (len > MAX_NAME_LENGTH) throw new Error(`Table name is too long, max length is ${MAX_NAME_LENGTH}`);
  if (len === 0) throw new Error('Empty string is not allowed as table name');
  for (let i = 0; i < len; i++) {
    const ch = name[i] as string;
    if (ch === '.') {
      // A single dot is allowed in the middle only.
      if (i === 0 || i === len - 1 || name[i - 1] === '.') {
        throw new Error('Table name cannot start or end with a dot, and only a single dot allowed');
      }
    } else if (FORBIDDEN_IN_TABLE.has(ch)) {
      throw new Error(`Invalid character in table name: ${ch}`);
    }
  }
}

/** Throws the client's error for a column (or symbol) name it refuses. */
export function validateColumnName(name: string): void {
  const len = name.length;
  if (len > MAX_NAME_LENGTH) throw new Error(`Column name is too long, max length is ${MAX_NAME_LENGTH}`);
  if (len === 0) throw new Error('Empty string is not allowed as column name');
  for (let i = 0; i < len; i++) {
    const ch = name[i] as string;
    if (FORBIDDEN_IN_COLUMN.has(ch)) throw new Error(`Invalid character in column name: ${ch}`);
  }
}

/**
 * Escapes a name or symbol value as the client does outside quotes: ` `, `,`, `=`, `\n`, `\r` get a
 * backslash before them and `\` is doubled; everything else (including `"`) is kept.
 */
export function escapeUnquoted(text: string): string {
  return text.replace(/[ ,=\n\r\\]/g, '\\$&');
}

/**
 * Escapes a string column value as the client does inside quotes: `"`, `\n`, `\r` get a backslash
 * before them and `\` is doubled; spaces, commas and equal signs are kept.
 */
export function escapeQuoted(text: string): string {
  return text.replace(/["\n\r\\]/g, '\\$&');
}

/** Validated, escaped, UTF-8 encoded names, one cache per kind (table names follow other rules). */
export class IlpNameCache {
  readonly #tables = new Map<string, Uint8Array>();
  readonly #columns = new Map<string, Uint8Array>();

  /** The escaped bytes of a table name; throws if the client would refuse it. */
  table(name: string): Uint8Array {
    const hit = this.#tables.get(name);
    if (hit !== undefined) return hit;
    if (typeof name !== 'string') throw new Error(`Table name must be a string, received ${typeof name}`);
    validateTableName(name);
    return remember(this.#tables, name);
  }

  /** The escaped bytes of a column or symbol name; throws if the client would refuse it. */
  column(name: string): Uint8Array {
    const hit = this.#columns.get(name);
    if (hit !== undefined) return hit;
    validateColumnName(name);
    return remember(this.#columns, name);
  }
}

function remember(cache: Map<string, Uint8Array>, name: string): Uint8Array {
  if (cache.size >= MAX_CACHED_NAMES) cache.clear();
  const bytes = new Uint8Array(Buffer.from(escapeUnquoted(name), 'utf8'));
  cache.set(name, bytes);
  return bytes;
}
