import { Sender, type SenderBuffer } from '@questdb/nodejs-client';
import { seededRandom } from '@yujing/schemas/test-arbitraries';
import { beforeAll, describe, expect, it } from 'vitest';
import { IlpEncoder } from '../src/ilp-encoder';
import { appendRow, type IlpRow, type IlpValue } from '../src/ilp-row';
import { questdbErrors } from '../src/questdb-errors';

/**
 * The encoder must produce exactly the bytes @questdb/nodejs-client 4.2.0 puts in its buffer for
 * the same rows (appendRow over a Sender, protocol_version=2, auto-flush off: nothing is sent), and
 * refuse exactly the rows the client refuses.
 */

const CLIENT_CONF = 'http::addr=127.0.0.1:9000;auto_flush=off;protocol_version=2';
let sender: Sender;

beforeAll(async () => {
  sender = await Sender.fromConfig(CLIENT_CONF);
});

/** The client's bytes for the rows (a copy of its buffer). */
async function clientBytes(rows: readonly IlpRow[]): Promise<Buffer> {
  sender.reset();
  for (const row of rows) await appendRow(sender, row);
  const view = (sender as unknown as { buffer: SenderBuffer }).buffer.toBufferView();
  return Buffer.from(view ?? Buffer.alloc(0));
}

/** Equal bytes; on a mismatch, shows the first differing offset with 40 bytes of context of each. */
function expectSameBytes(ours: Buffer, theirs: Buffer): void {
  if (ours.equals(theirs)) return;
  let at = 0;
  while (at < ours.length && at < theirs.length && ours[at] === theirs[at]) at++;
  const around = (b: Buffer) => JSON.stringify(b.subarray(Math.max(0, at - 40), at + 40).toString('latin1'));
  expect({ at, length: ours.length, ours: around(ours) }).toEqual({
    at,
    length: theirs.length,
    ours: around(theirs),
  });
}

const T0 = Date.parse('2026-11-28T02:00:00.000Z');
const TABLES = [
  'readings',
  'yj_test.readings',
  'table with space',
  'a=b',
  '读数',
  'emoji😀t',
  'x-y',
  '#t[1]',
];
const NAMES = ['value', 'point', 'col with space', 'a=b', '值', 'emoji😀c', '_x', 'limit', '#h[1]', 'É'];
/** Pieces of text: plain ASCII, every escaped character, tab, controls, CJK, astral, lone surrogates. */
const PIECES = [
  'a',
  'Z',
  '0',
  '-',
  '_',
  ' ',
  ',',
  '=',
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0001',
  "'",
  ':',
  '/',
  'é',
  '温度',
  '°C',
  '😀',
  '𝄞',
  '\ud800',
  '\udc00',
  '\u007f',
  '\u0080',
  '\uffff',
  'gas-co',
  'CO-BF1-003',
];
const DOUBLES = [
  0,
  -0,
  1,
  -1,
  23.5,
  0.1 + 0.2,
  Math.PI,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e21,
  -1e-7,
];
const LONGS = [
  0,
  -0,
  1,
  -1,
  42,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 53,
  2 ** 63,
  -(2 ** 63),
  1e21,
  1e300,
];
const TIMESTAMPS_MS = [
  T0,
  T0 + 1,
  0,
  -0,
  1,
  -1,
  -T0,
  8.64e15,
  -8.64e15,
  9_007_199_254_740,
  9_007_199_254_741,
  1e18,
  1e300,
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function text(rand: () => number, maxPieces: number): string {
  const pieces = Math.floor(rand() * (maxPieces + 1));
  let s = '';
  for (let i = 0; i < pieces; i++) s += pick(rand, PIECES);
  return s;
}

function value(rand: () => number): IlpValue | null | undefined {
  const r = rand();
  if (r < 0.08) return null;
  if (r < 0.12) return undefined;
  if (r < 0.35) {
    const v = rand() < 0.5 ? pick(rand, DOUBLES) : (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 15);
    return { type: 'double', value: v };
  }
  if (r < 0.5) {
    const v = rand() < 0.5 ? pick(rand, LONGS) : Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 60));
    return { type: 'long', value: v };
  }
  if (r < 0.7) return { type: 'string', value: text(rand, rand() < 0.2 ? 60 : 8) };
  if (r < 0.8) return { type: 'boolean', value: rand() < 0.5 };
  return { type: 'timestamp', ms: rand() < 0.5 ? pick(rand, TIMESTAMPS_MS) : T0 + Math.floor(rand() * 1e9) };
}

function randomRow(rand: () => number): IlpRow {
  const symbols: IlpRow['symbols'] = {};
  const columns: IlpRow['columns'] = {};
  const symbolCount = Math.floor(rand() * 4);
  for (let i = 0; i < symbolCount; i++) {
    const r = rand();
    symbols[`${pick(rand, NAMES)}${i}`] =
      r < 0.1 ? null : r < 0.15 ? undefined : text(rand, r < 0.3 ? 40 : 6);
  }
  const columnCount = Math.floor(rand() * 5);
  for (let i = 0; i < columnCount; i++) columns[`${pick(rand, NAMES)}_${i}`] = value(rand);
  // At least one field, so the row is one the client accepts.
  if (Object.values(symbols).every((v) => v == null) && Object.values(columns).every((v) => !v)) {
    columns.filler = { type: 'long', value: 1 };
  }
  const tsMs = rand() < 0.3 ? pick(rand, TIMESTAMPS_MS) : T0 + Math.floor(rand() * 1e6);
  return { table: pick(rand, TABLES), symbols, columns, tsMs };
}

const readingRow: IlpRow = {
  table: 'readings',
  symbols: {
    enterprise: '140105000001',
    point: 'CO-BF1-003',
    kind: 'gas-co',
    quality: 'good',
    gateway: 'gw-01',
  },
  columns: { value: { type: 'double', value: 23.5 }, received_at: { type: 'timestamp', ms: T0 + 250 } },
  tsMs: T0,
};

describe('IlpEncoder writes the bytes the QuestDB client writes', () => {
  const cases: Array<[string, IlpRow]> = [
    ['a reading row as store-writer makes it', readingRow],
    [
      'symbols escaping space, comma, equals, newline, CR and backslash (quote kept)',
      { ...readingRow, symbols: { point: 'a b,c=d\ne\rf\\g"h' } },
    ],
    [
      'strings escaping quote, newline, CR and backslash (space, comma, equals kept)',
      { ...readingRow, columns: { comment: { type: 'string', value: 'say "hi", a=b \\ x\ny\rz' } } },
    ],
    [
      'empty symbol value and empty string',
      { ...readingRow, symbols: { point: '' }, columns: { c: { type: 'string', value: '' } } },
    ],
    [
      'unicode: CJK, accents, astral and lone surrogates',
      {
        ...readingRow,
        symbols: { 点位: '一氧化碳浓度', emoji: 'ok😀𝄞' },
        columns: { note: { type: 'string', value: 'é\ud800x\udc00😀"' } },
      },
    ],
    [
      'names with space and equals, table with a dot',
      { ...readingRow, table: 'yj.t a=b', symbols: { 'p q=r': 'v' } },
    ],
    [
      'numbers at the edges: -0, tiny and huge doubles, NaN, ±Infinity',
      {
        ...readingRow,
        columns: {
          a: { type: 'double', value: -0 },
          b: { type: 'double', value: 5e-324 },
          c: { type: 'double', value: -1.7976931348623157e308 },
          d: { type: 'double', value: Number.NaN },
          e: { type: 'double', value: Number.POSITIVE_INFINITY },
          f: { type: 'double', value: Number.NEGATIVE_INFINITY },
        },
      },
    ],
    [
      'longs: negative, -0, beyond 2^53, written in exponent form by the client',
      {
        ...readingRow,
        columns: {
          a: { type: 'long', value: -42 },
          b: { type: 'long', value: -0 },
          c: { type: 'long', value: 2 ** 63 },
          d: { type: 'long', value: 1e21 },
        },
      },
    ],
    [
      'timestamps before 1970 and beyond 2^53 µs (BigInt path)',
      {
        ...readingRow,
        columns: { a: { type: 'timestamp', ms: -1 }, b: { type: 'timestamp', ms: 9_007_199_254_741 } },
        tsMs: 1e18,
      },
    ],
    [
      'null and undefined columns and symbols are left out',
      {
        ...readingRow,
        symbols: { a: null, b: 'x', c: undefined },
        columns: {
          d: null,
          e: { type: 'boolean', value: false },
          f: undefined,
          g: { type: 'boolean', value: true },
        },
      },
    ],
    ['only symbols', { ...readingRow, columns: {} }],
    ['only columns', { ...readingRow, symbols: {} }],
    [
      'a long text (one write path)',
      {
        ...readingRow,
        symbols: { p: 'x,y '.repeat(100) },
        columns: { s: { type: 'string', value: 'é'.repeat(300) } },
      },
    ],
  ];

  it.each(cases)('%s', async (_name, row) => {
    expectSameBytes(new IlpEncoder().encode([row]), await clientBytes([row]));
  });

  it('matches on 5,000 seeded random rows, one at a time', async () => {
    const rand = seededRandom(20261128);
    const encoder = new IlpEncoder();
    for (let i = 0; i < 5_000; i++) {
      const row = randomRow(rand);
      const ours = encoder.encode([row]);
      const theirs = await clientBytes([row]);
      if (!ours.equals(theirs)) {
        expect({ i, row, ours: ours.toString('latin1') }).toEqual({
          i,
          row,
          ours: theirs.toString('latin1'),
        });
      }
    }
  });

  it('matches on seeded random batches while growing from a tiny buffer, reused across calls', async () => {
    const encoder = new IlpEncoder({ initialBytes: 8 });
    for (let seed = 1; seed <= 20; seed++) {
      const rand = seededRandom(seed);
      const rows = Array.from({ length: 1 + Math.floor(rand() * 300) }, () => randomRow(rand));
      expectSameBytes(encoder.encode(rows), await clientBytes(rows));
    }
  });

  it('matches on batches whose rows repeat symbol values, names and timestamps at the same positions', async () => {
    // The encoder copies a repeated symbol value's bytes and reuses names and µs digits by field
    // position: rows here repeat, reorder and drop fields, switch tables and need escaping.
    const rand = seededRandom(8);
    const encoder = new IlpEncoder({ initialBytes: 8 });
    const values = ['140105000001', 'gw 01,a=b', 'x,y '.repeat(30), '温度', '', 'CO-1'];
    for (let batch = 0; batch < 30; batch++) {
      // Column objects shared between rows (as readingRows shares received_at), at a position whose
      // separator changes when the column before it is null.
      const shared: IlpValue[] = [
        { type: 'timestamp', ms: T0 },
        { type: 'timestamp', ms: 9_007_199_254_741 },
        { type: 'double', value: -0 },
        { type: 'string', value: 'a "b", c' },
      ];
      const rows = Array.from({ length: 1 + Math.floor(rand() * 200) }, (): IlpRow => {
        const swap = rand() < 0.2;
        const symbols: IlpRow['symbols'] = swap
          ? { point: pick(rand, values), enterprise: pick(rand, values) }
          : { enterprise: pick(rand, values), point: rand() < 0.1 ? null : pick(rand, values) };
        if (rand() < 0.5) symbols.kind = pick(rand, values);
        return {
          table: rand() < 0.8 ? 'readings' : 'yj.other t',
          symbols,
          columns: {
            value:
              rand() < 0.2 ? null : rand() < 0.5 ? pick(rand, shared) : { type: 'double', value: rand() },
            received_at:
              rand() < 0.7
                ? pick(rand, shared)
                : { type: 'timestamp', ms: pick(rand, [T0, T0 + 5, 9_007_199_254_741]) },
          },
          tsMs: pick(rand, [T0, T0 + 1, 1e18]),
        };
      });
      expectSameBytes(encoder.encode(rows), await clientBytes(rows));
    }
  });

  it('leaves a null symbol out without looking at its name, as the client does', async () => {
    const row = { ...readingRow, symbols: { 'a,b': null, point: 'p' } };
    expectSameBytes(new IlpEncoder().encode([row, row]), await clientBytes([row, row]));
  });

  it('starts every batch afresh: the second encode holds only the second batch', async () => {
    const encoder = new IlpEncoder();
    encoder.encode([readingRow, readingRow, readingRow]);
    const second = { ...readingRow, tsMs: T0 + 5 };
    expectSameBytes(encoder.encode([second]), await clientBytes([second]));
  });

  it('encodes no rows as an empty buffer', () => {
    expect(new IlpEncoder().encode([]).length).toBe(0);
  });
});

describe('IlpEncoder refuses what the QuestDB client refuses', () => {
  const col = (c: IlpValue): IlpRow => ({ ...readingRow, columns: { c } });
  const bad: Array<[string, IlpRow]> = [
    ['a long with a fraction', col({ type: 'long', value: 1.5 })],
    ['a NaN long', col({ type: 'long', value: Number.NaN })],
    ['an infinite long', col({ type: 'long', value: Number.POSITIVE_INFINITY })],
    ['a timestamp column with a fraction', col({ type: 'timestamp', ms: 1.5 })],
    ['a NaN timestamp column', col({ type: 'timestamp', ms: Number.NaN })],
    ['an infinite timestamp column', col({ type: 'timestamp', ms: Number.NEGATIVE_INFINITY })],
    ['a designated timestamp with a fraction', { ...readingRow, tsMs: 0.5 }],
    ['a NaN designated timestamp', { ...readingRow, tsMs: Number.NaN }],
    ['an infinite designated timestamp', { ...readingRow, tsMs: Number.POSITIVE_INFINITY }],
    ['an empty row', { ...readingRow, symbols: {}, columns: {} }],
    ['a row of nulls only', { ...readingRow, symbols: { a: null }, columns: { b: null, c: undefined } }],
    ['a double given as a string', col({ type: 'double', value: '1' as unknown as number })],
    ['a string given as a number', col({ type: 'string', value: 1 as unknown as string })],
    ['a boolean given as a number', col({ type: 'boolean', value: 1 as unknown as boolean })],
    ['an empty table name', { ...readingRow, table: '' }],
    ['a table name starting with a dot', { ...readingRow, table: '.readings' }],
    ['a table name ending with a dot', { ...readingRow, table: 'readings.' }],
    ['a table name with two dots', { ...readingRow, table: 'a..b' }],
    ['a table name with a slash', { ...readingRow, table: 'a/b' }],
    ['a table name with a comma', { ...readingRow, table: 'a,b' }],
    ['a table name with a newline', { ...readingRow, table: 'a\nb' }],
    ['a table name with a BOM', { ...readingRow, table: '\ufeffreadings' }],
    ['a table name of 128 characters', { ...readingRow, table: 't'.repeat(128) }],
    ['an empty column name', { ...readingRow, columns: { '': { type: 'long', value: 1 } } }],
    ['a column name with a dot', { ...readingRow, columns: { 'a.b': { type: 'long', value: 1 } } }],
    ['a column name with a hyphen', { ...readingRow, columns: { 'a-b': { type: 'long', value: 1 } } }],
    ['a column name with a quote', { ...readingRow, columns: { 'a"b': { type: 'long', value: 1 } } }],
    [
      'a column name of 128 characters',
      { ...readingRow, columns: { [`c${'x'.repeat(127)}`]: { type: 'long', value: 1 } } },
    ],
    ['a symbol name with a comma', { ...readingRow, symbols: { 'a,b': 'x' } }],
    ['a symbol name with a tab', { ...readingRow, symbols: { 'a\tb': 'x' } }],
  ];

  it.each(bad)('%s', async (_name, row) => {
    await expect(clientBytes([readingRow, readingRow, row])).rejects.toThrow();
    let thrown: unknown;
    try {
      new IlpEncoder().encode([readingRow, readingRow, row, readingRow]);
    } catch (err) {
      thrown = err;
    }
    expect(questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/^row 2 cannot be encoded: /);
    expect((thrown as { context?: unknown }).context).toEqual({ rowIndex: 2, table: row.table });
  });

  it('refuses a column type it does not know instead of leaving the column out silently', () => {
    const row = { ...readingRow, columns: { c: { type: 'decimal', value: 1 } as unknown as IlpValue } };
    expect(() => new IlpEncoder().encode([row])).toThrow(
      /row 0 cannot be encoded: Unknown column type: decimal/,
    );
  });

  it('refuses the batch at the row that would pass the size limit', () => {
    const encoder = new IlpEncoder({ initialBytes: 64, maxBytes: 1024 });
    const rows = Array.from({ length: 20 }, () => readingRow);
    expect(() => encoder.encode(rows)).toThrow(/row \d+ cannot be encoded: Max buffer size is 1024 bytes/);
    expect(encoder.encode(rows.slice(0, 5)).length).toBeLessThanOrEqual(1024);
  });

  it('keeps working after a refused batch', async () => {
    const encoder = new IlpEncoder();
    expect(() => encoder.encode([readingRow, { ...readingRow, tsMs: Number.NaN }])).toThrow();
    expectSameBytes(encoder.encode([readingRow]), await clientBytes([readingRow]));
  });
});
