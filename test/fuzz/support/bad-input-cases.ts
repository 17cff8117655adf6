import fc from 'fast-check';

/** Where a fuzz message goes in: gateway-ingest's MQTT or HTTP intake, or kafka-ingest's inbound topic. */
export type Transport = 'mqtt' | 'http' | 'kafka';
export const TRANSPORTS: readonly Transport[] = ['mqtt', 'http', 'kafka'];

/** The families of generated input (issue #14, Bad-input fuzzing). */
export const FUZZ_CLASSES = [
  'valid',
  'wrong-type',
  'huge-number',
  'nan-infinity-string',
  'deep-nesting',
  'proto-keys',
  'invalid-utf8',
  'oversize',
  'far-time',
  'foreign-id',
  'random-json',
] as const;
export type FuzzClass = (typeof FUZZ_CLASSES)[number];

/** The ids and times one message is rendered with (decided when it is sent). */
export interface RenderContext {
  /** `FZ<run>x<id>Z`, first in every body so a (truncated) dead letter's raw still names its message. */
  marker: string;
  seq: number;
  sentAt: number;
  /** Sensor time of the k-th valid reading: unique per message and reading, so QuestDB rows name it. */
  ts(k: number): number;
  enterpriseId: string;
  gatewayId: string;
  /** Another registered enterprise (for foreign claims). */
  foreignEnterpriseId: string;
  /** Another registered gateway of the same enterprise. */
  siblingGatewayId: string;
  /** A gateway registered only in the foreign enterprise. */
  foreignGatewayId: string;
  /** A point registered only in the foreign enterprise. */
  foreignPoint: string;
  now: number;
}

/** How the transport carries the message beyond its body. */
export interface TransportTweak {
  /** HTTP: X-Yujing-Enterprise header naming the foreign enterprise. */
  claimForeignEnterpriseHeader?: boolean;
  /** HTTP: the bearer token of the foreign enterprise's gateway. */
  foreignToken?: boolean;
  /** Kafka: the yj-enterprise-id header; undefined = the own enterprise, null = none (and no key). */
  kafkaEnterprise?: string | null;
  /** Kafka: the yj-format header. */
  kafkaFormat?: string;
  /** Kafka: the enterprise as the record key instead of the header. */
  kafkaKeyOnly?: boolean;
  /** HTTP: this Content-Type instead of application/json. */
  contentType?: string;
  /** HTTP: this Authorization header (null: none) instead of the gateway's bearer token. */
  authorization?: string | null;
  /** MQTT: publish on this channel of the gateway instead of telemetry. */
  mqttChannel?: 'status';
}

export interface FuzzCase {
  cls: FuzzClass;
  /** Short name of the mutation, for failure messages. */
  variant: string;
  /** true: every reading must be stored and the message acknowledged (202 / PUBACK). */
  valid: boolean;
  /** Invalid: the dead-letter reasons (and HTTP problem reasons) any one of which is right. */
  reasons: readonly string[];
  /**
   * HTTP only: refused before the body is read (over the hard body limit, unauthenticated, wrong
   * media type), so a 4xx without a dead letter is right (anonymous bytes are not dead-lettered).
   */
  refusedUnread?: boolean;
  /** The HTTP status a refused-unread case must get. */
  httpStatus?: number;
  /** The body is empty, so its dead letter cannot be matched by marker (counted instead). */
  markerless?: boolean;
  /** Valid readings in the message (stored rows expected when valid). */
  readings: number;
  /**
   * The service reads this message's seq for the sending gateway (envelope valid, the gatewayId is
   * the sender's): it then takes the next seq, so gateway-ingest's resequencer sees no gap.
   */
  takesSeq: boolean;
  tweak?: TransportTweak;
  render(ctx: RenderContext): Buffer;
}

type Json = unknown;
/** Tokens JSON.stringify cannot write (1e999, invalid UTF-8 …), spliced into the text afterwards. */
class RawToken {
  constructor(readonly bytes: Buffer) {}
}
const raw = (s: string | Buffer) => new RawToken(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);

/** JSON text of `value`, with RawTokens spliced in as bytes. */
function encode(value: Json): Buffer {
  const tokens: RawToken[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof RawToken) {
      tokens.push(v);
      return `\u0000RAW${tokens.length - 1}\u0000`;
    }
    return v;
  });
  const parts = text.split(/"\\u0000RAW(\d+)\\u0000"/);
  const out: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    out.push(i % 2 === 0 ? Buffer.from(parts[i]!, 'utf8') : tokens[Number(parts[i])]!.bytes);
  }
  return Buffer.concat(out);
}

/** An object with `key` as an own property even for `__proto__` (JSON.parse makes it one too). */
function withOwn(obj: Record<string, Json>, key: string, value: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v;
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

const POINTS = ['TT-1', 'PDT-1'] as const;
/** Beijing time with offset, the way Shanxi gateways write it. */
const beijing = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, -1)}+08:00`;

/** A valid reading's shape, decided by fast-check; ts comes from the context. */
interface ReadingSpec {
  point: (typeof POINTS)[number];
  isoTime: boolean;
  v: number;
  q: 'good' | 'uncertain' | 'bad' | undefined;
}
const readingSpec: fc.Arbitrary<ReadingSpec> = fc.record({
  point: fc.constantFrom(...POINTS),
  isoTime: fc.boolean(),
  v: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0, 1, 2 ** 53),
  ),
  q: fc.constantFrom('good', 'uncertain', 'bad', undefined),
});

function reading(spec: ReadingSpec, ctx: RenderContext, k: number): Record<string, Json> {
  const ts = ctx.ts(k);
  const r: Record<string, Json> = {
    point: spec.point,
    ts: spec.isoTime ? beijing(ts) : ts,
    v: spec.v === 0 && Object.is(spec.v, -0) ? raw('-0') : spec.v,
  };
  if (spec.q !== undefined) r.q = spec.q;
  return r;
}

/** A valid native v1 message (marker first). */
function message(
  ctx: RenderContext,
  readings: Json[],
  over: Record<string, Json> = {},
): Record<string, Json> {
  return {
    fz: ctx.marker,
    v: 1,
    gatewayId: ctx.gatewayId,
    seq: ctx.seq,
    sentAt: ctx.sentAt,
    readings,
    ...over,
  };
}

const validReadings = fc.array(readingSpec, { minLength: 1, maxLength: 3 });

interface Mutation {
  variant: string;
  valid?: boolean;
  reasons?: readonly string[];
  takesSeq: boolean;
  /** Valid readings kept (valid cases). */
  readings?: number;
  refusedUnread?: boolean;
  httpStatus?: number;
  markerless?: boolean;
  tweak?: TransportTweak;
  render(ctx: RenderContext): Buffer;
}

const SCHEMA = ['schema'] as const;

/** Replaces field `field` of the envelope. */
function envelopeField(field: string, value: Json, variant: string): fc.Arbitrary<Mutation> {
  return validReadings.map((specs) => ({
    variant,
    reasons: SCHEMA,
    takesSeq: false,
    render: (ctx) =>
      encode(
        message(
          ctx,
          specs.map((s, k) => reading(s, ctx, k)),
          { [field]: value },
        ),
      ),
  }));
}

/** Every reading of a message gets `field` = `value` (per-reading rejections; the envelope is fine). */
function everyReading(
  field: string,
  value: (ctx: RenderContext, k: number) => Json,
  variant: string,
  reasons: readonly string[],
): fc.Arbitrary<Mutation> {
  return validReadings.map((specs) => ({
    variant,
    reasons,
    takesSeq: true,
    render: (ctx) =>
      encode(
        message(
          ctx,
          specs.map((s, k) => ({ ...reading(s, ctx, k), [field]: value(ctx, k) })),
        ),
      ),
  }));
}

const wrongTypeFor = (transport: Transport): fc.Arbitrary<Mutation> => {
  if (transport === 'http')
    return fc.oneof(
      { weight: 12, arbitrary: wrongType },
      fc.constant<Mutation>({
        variant: 'empty body',
        reasons: ['invalid-json'],
        // no room for a marker: its dead letter is the one http invalid-json letter with an empty raw
        markerless: true,
        takesSeq: false,
        render: () => Buffer.alloc(0),
      }),
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml').map(
        (contentType): Mutation => ({
          variant: `Content-Type ${contentType}`,
          reasons: [],
          refusedUnread: true,
          httpStatus: 415,
          takesSeq: false,
          tweak: { contentType },
          render: (ctx) => encode(message(ctx, [reading(VALID_ONE, ctx, 0)])),
        }),
      ),
    );
  if (transport === 'mqtt')
    return fc.oneof(
      { weight: 12, arbitrary: wrongType },
      fc.constantFrom<Json>('maybe', 42, { status: 'sleeping' }, { status: null }, [1]).map(
        (status): Mutation => ({
          variant: `status channel ${JSON.stringify(status)}`,
          reasons: SCHEMA,
          takesSeq: false,
          tweak: { mqttChannel: 'status' },
          render: (ctx) =>
            encode(
              typeof status === 'object' && status && !Array.isArray(status)
                ? { fz: ctx.marker, ...status }
                : { fz: ctx.marker, status },
            ),
        }),
      ),
    );
  return wrongType;
};

const wrongType: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .constantFrom<Json>('1', 2, 0, null, true, [1])
    .chain((v) => envelopeField('v', v, `v=${JSON.stringify(v)}`)),
  fc
    .constantFrom<Json>(123, null, '', 'a/b', 'gw 1', '#', ['gw'], 'x'.repeat(65))
    .chain((v) => envelopeField('gatewayId', v, `gatewayId=${JSON.stringify(v).slice(0, 20)}`)),
  fc
    .constantFrom<Json>('5', -1, 1.5, null, false, { n: 1 })
    .chain((v) => envelopeField('seq', v, `seq=${JSON.stringify(v)}`)),
  fc
    .constantFrom<Json>(true, {}, 'yesterday', null, [], -5, 1.25)
    .chain((v) => envelopeField('sentAt', v, `sentAt=${JSON.stringify(v)}`)),
  fc
    .constantFrom<Json>({}, 'x', [], null, 7)
    .chain((v) => envelopeField('readings', v, `readings=${JSON.stringify(v)}`)),
  fc
    .constantFrom<Json>('41.5', true, null, {}, [1], '')
    .chain((v) => everyReading('v', () => v, `reading.v=${JSON.stringify(v)}`, SCHEMA)),
  fc
    .constantFrom<Json>(5, null, '', 'TT 1', ['TT-1'])
    .chain((v) => everyReading('point', () => v, `reading.point=${JSON.stringify(v)}`, SCHEMA)),
  fc
    .constantFrom<Json>('abc', null, true, '2026-13-45T99:00:00Z', 1.5, -1)
    .chain((v) => everyReading('ts', () => v, `reading.ts=${JSON.stringify(v)}`, SCHEMA)),
  fc
    .constantFrom<Json>('great', 3, null, true)
    .chain((v) => everyReading('q', () => v, `reading.q=${JSON.stringify(v)}`, SCHEMA)),
  fc.constantFrom<Json>(42, 'text', null, true, [], 0).map(
    (body): Mutation => ({
      variant: `body=${JSON.stringify(body)}`,
      reasons: SCHEMA,
      takesSeq: false,
      // a non-object body cannot carry the marker as a field: it leads the text as a JSON array's first item
      render: (ctx) => encode(body === null || typeof body !== 'object' ? [ctx.marker, body] : [ctx.marker]),
    }),
  ),
  fc.constant<Mutation>({
    variant: 'readings=[]',
    reasons: SCHEMA,
    takesSeq: false,
    render: (ctx) => encode(message(ctx, [])),
  }),
);

const hugeNumber: fc.Arbitrary<Mutation> = fc.oneof(
  // the largest seq the format allows is valid (the tracker starts over below it, the gap is a range)
  validReadings.map(
    (specs): Mutation => ({
      variant: 'seq=2^53-1 (valid)',
      valid: true,
      readings: specs.length,
      takesSeq: false,
      render: (ctx) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => reading(s, ctx, k)),
            { seq: Number.MAX_SAFE_INTEGER },
          ),
        ),
    }),
  ),
  fc
    .constantFrom('1e999', '-1e999', '1e400')
    .chain((t) => everyReading('v', () => raw(t), `reading.v=${t}`, ['non-finite'])),
  fc
    .constantFrom('1e20', '9007199254740993', '1e308', '123456789012345678901234567890')
    .chain((t) => envelopeField('seq', raw(t), `seq=${t}`)),
  fc
    .constantFrom('1e300', '1e999', '99999999999999999999')
    .chain((t) => envelopeField('sentAt', raw(t), `sentAt=${t}`)),
  fc
    .constantFrom('1e300', '99999999999999999999', '1e999')
    .chain((t) => everyReading('ts', () => raw(t), `reading.ts=${t}`, SCHEMA)),
);

const nanInfinityString: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .constantFrom('NaN', 'Infinity', '-Infinity', 'nan', 'inf', '1e999')
    .chain((s) => everyReading('v', () => s, `reading.v="${s}"`, ['schema', 'non-finite'])),
  fc
    .constantFrom('NaN', 'Infinity', '-Infinity')
    .chain((s) => everyReading('ts', () => s, `reading.ts="${s}"`, SCHEMA)),
  fc.constantFrom('NaN', 'Infinity').chain((s) => envelopeField('sentAt', s, `sentAt="${s}"`)),
  fc.constantFrom('NaN', 'Infinity').chain((s) => envelopeField('seq', s, `seq="${s}"`)),
  // bare NaN / Infinity are not JSON at all
  fc
    .constantFrom('NaN', 'Infinity', '-Infinity')
    .chain((t) => everyReading('v', () => raw(t), `reading.v=${t} (bare)`, ['invalid-json']))
    .map((m) => ({ ...m, takesSeq: false })),
);

function nested(depth: number, asObject: boolean): Buffer {
  const open = asObject ? '{"a":' : '[';
  const close = asObject ? '}' : ']';
  return Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`);
}

const deepNesting: fc.Arbitrary<Mutation> = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 1_000, max: 20_000 })),
    asObject: fc.boolean(),
    where: fc.constantFrom('reading', 'reading.v', 'readings', 'body', 'ignored-field'),
    specs: validReadings,
  })
  .map(({ depth, asObject, where, specs }): Mutation => {
    const deep = raw(nested(depth, asObject));
    const variant = `${where} nested ${depth} ${asObject ? 'objects' : 'arrays'}`;
    switch (where) {
      case 'reading':
        return { variant, reasons: SCHEMA, takesSeq: true, render: (ctx) => encode(message(ctx, [deep])) };
      case 'reading.v':
        return {
          variant,
          reasons: SCHEMA,
          takesSeq: true,
          render: (ctx) =>
            encode(
              message(
                ctx,
                specs.map((s, k) => ({ ...reading(s, ctx, k), v: deep })),
              ),
            ),
        };
      case 'readings':
        return {
          variant,
          reasons: SCHEMA,
          // nested arrays are a one-item readings array (per-reading rejection); nested objects are not an array
          takesSeq: !asObject,
          render: (ctx) => encode(message(ctx, [], { readings: deep })),
        };
      case 'body':
        return { variant, reasons: SCHEMA, takesSeq: false, render: (ctx) => encode([ctx.marker, deep]) };
      default:
        // an unknown field is ignored: the message is valid
        return {
          variant,
          valid: true,
          readings: specs.length,
          takesSeq: true,
          render: (ctx) =>
            encode(
              message(
                ctx,
                specs.map((s, k) => reading(s, ctx, k)),
                { extra: deep },
              ),
            ),
        };
    }
  });

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const PROTO_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const;
const protoKeys: fc.Arbitrary<Mutation> = fc.oneof(
  // own __proto__/constructor keys beside a valid envelope or reading: ignored, the message is valid
  fc.record({ key: fc.constantFrom(...PROTO_KEYS), specs: validReadings }).map(
    ({ key, specs }): Mutation => ({
      variant: `envelope.${key}={…}`,
      valid: true,
      readings: specs.length,
      takesSeq: true,
      render: (ctx) =>
        encode(
          withOwn(
            message(
              ctx,
              specs.map((s, k) => reading(s, ctx, k)),
            ),
            key,
            {
              v: 2,
              gatewayId: 'gw-proto',
              readings: 'x',
              polluted: true,
            },
          ),
        ),
    }),
  ),
  fc.record({ key: fc.constantFrom(...PROTO_KEYS), specs: validReadings }).map(
    ({ key, specs }): Mutation => ({
      variant: `reading.${key}={q:"bad-quality"}`,
      valid: true,
      readings: specs.length,
      takesSeq: true,
      render: (ctx) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => withOwn(reading(s, ctx, k), key, { q: 'bad-quality', v: 'x', point: 'x' })),
          ),
        ),
    }),
  ),
  fc
    .constantFrom(...PROTO_NAMES, '__proto__')
    .chain((name) =>
      everyReading(
        'point',
        () => name,
        `reading.point="${name}"`,
        name.startsWith('_') ? SCHEMA : ['unknown-point'],
      ),
    ),
  fc.constantFrom(...PROTO_NAMES, '__proto__').chain((name) =>
    validReadings.map(
      (specs): Mutation => ({
        variant: `gatewayId="${name}"`,
        // not the sender's gateway (MQTT topic, HTTP token); unregistered (Kafka)
        reasons: name.startsWith('_') ? SCHEMA : ['wrong-gateway', 'unknown-gateway'],
        takesSeq: false,
        render: (ctx) =>
          encode(
            message(
              ctx,
              specs.map((s, k) => reading(s, ctx, k)),
              { gatewayId: name },
            ),
          ),
      }),
    ),
  ),
  fc.constantFrom(...PROTO_NAMES, '__proto__').chain((name) =>
    validReadings.map(
      (specs): Mutation => ({
        variant: `enterpriseId="${name}"`,
        reasons: ['wrong-enterprise'],
        takesSeq: true,
        render: (ctx) =>
          encode(
            message(
              ctx,
              specs.map((s, k) => reading(s, ctx, k)),
              { enterpriseId: name },
            ),
          ),
      }),
    ),
  ),
  fc.constant<Mutation>({
    variant: 'body={__proto__:{message}}',
    reasons: SCHEMA,
    takesSeq: false,
    render: (ctx) =>
      encode(withOwn({ fz: ctx.marker }, '__proto__', message(ctx, [reading(VALID_ONE, ctx, 0)]))),
  }),
);
const VALID_ONE: ReadingSpec = { point: 'TT-1', isoTime: false, v: 40, q: undefined };

const BAD_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0xc3, 0x28]), // bad continuation
  Buffer.from([0xc0, 0xaf]), // overlong '/'
  Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate half
  Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
  Buffer.from([0xe2, 0x82]), // truncated sequence
];
const invalidUtf8: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ bad: fc.constantFrom(...BAD_UTF8), junk: fc.uint8Array({ minLength: 0, maxLength: 200 }) }).map(
    ({ bad, junk }): Mutation => ({
      variant: 'garbage bytes',
      reasons: ['invalid-json'],
      takesSeq: false,
      render: (ctx) => Buffer.concat([Buffer.from(`${ctx.marker} `), bad, Buffer.from(junk), bad]),
    }),
  ),
  fc.record({ bad: fc.constantFrom(...BAD_UTF8), specs: validReadings }).map(
    ({ bad, specs }): Mutation => ({
      variant: `reading.point with ${bad.toString('hex')}`,
      reasons: ['schema', 'unknown-point'],
      takesSeq: true,
      render: (ctx) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => ({
              ...reading(s, ctx, k),
              point: raw(Buffer.concat([Buffer.from('"TT-'), bad, Buffer.from('1"')])),
            })),
          ),
        ),
    }),
  ),
  fc.record({ bad: fc.constantFrom(...BAD_UTF8), specs: validReadings }).map(
    ({ bad, specs }): Mutation => ({
      variant: `gatewayId with ${bad.toString('hex')}`,
      reasons: ['schema', 'wrong-gateway', 'unknown-gateway'],
      takesSeq: false,
      render: (ctx) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => reading(s, ctx, k)),
            { gatewayId: raw(Buffer.concat([Buffer.from(`"${ctx.gatewayId}`), bad, Buffer.from('"')])) },
          ),
        ),
    }),
  ),
  fc.record({ bad: fc.constantFrom(...BAD_UTF8), specs: validReadings }).map(
    ({ bad, specs }): Mutation => ({
      variant: `reading.q with ${bad.toString('hex')}`,
      reasons: SCHEMA,
      takesSeq: true,
      render: (ctx) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => ({
              ...reading(s, ctx, k),
              q: raw(Buffer.concat([Buffer.from('"go'), bad, Buffer.from('od"')])),
            })),
          ),
        ),
    }),
  ),
);

/** DESIGN §3: at most 5,000 readings per message. */
const MAX_READINGS = 5_000;
const oversize = (transport: Transport): fc.Arbitrary<Mutation> => {
  const tooMany = fc.integer({ min: MAX_READINGS + 1, max: MAX_READINGS + 50 }).map(
    (n): Mutation => ({
      variant: `${n} readings`,
      reasons: ['oversize'],
      takesSeq: false,
      render: (ctx) =>
        encode(
          message(
            ctx,
            Array.from({ length: n }, (_, k) => reading(VALID_ONE, ctx, k)),
          ),
        ),
    }),
  );
  if (transport !== 'http') return tooMany; // MQTT and Kafka stop at 1 MiB in the broker
  return fc.oneof(
    tooMany,
    // over the 1 MiB message limit: read, dead-lettered truncated, 413
    fc.integer({ min: 1024 * 1024 + 1, max: 1024 * 1024 + 64 * 1024 }).map(
      (bytes): Mutation => ({
        variant: `${bytes} bytes`,
        reasons: ['oversize'],
        takesSeq: false,
        render: (ctx) => padTo(message(ctx, [reading(VALID_ONE, ctx, 0)]), bytes),
      }),
    ),
    // over the 2 MiB hard limit: refused unread with 413
    fc.constant<Mutation>({
      variant: '2 MiB + 1 bytes',
      reasons: ['oversize'],
      refusedUnread: true,
      httpStatus: 413,
      takesSeq: false,
      render: (ctx) => padTo(message(ctx, [reading(VALID_ONE, ctx, 0)]), 2 * 1024 * 1024 + 1),
    }),
  );
};

function padTo(m: Record<string, Json>, bytes: number): Buffer {
  const base = encode({ ...m, pad: '' });
  return encode({ ...m, pad: 'x'.repeat(Math.max(0, bytes - base.length)) });
}

const DAY = 86_400_000;
const farTime: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .constantFrom<[string, (c: RenderContext) => Json, readonly string[]]>(
      ['0', () => 0, ['timestamp-too-old']],
      ['8 days ago', (c) => c.now - 8 * DAY, ['timestamp-too-old']],
      ['1970 ISO', () => '1970-01-01T00:00:00Z', ['timestamp-too-old']],
      ['1900 ISO', () => '1900-01-01T00:00:00+08:00', ['timestamp-too-old', 'schema']],
      ['1 hour ahead', (c) => c.now + 3_600_000, ['timestamp-in-future']],
      ['year 9999', () => '9999-12-31T23:59:59+08:00', ['timestamp-in-future']],
      ['8.64e15 ms', () => 8_640_000_000_000_000, ['timestamp-in-future']],
      ['year 275760', () => '+275760-09-13T00:00:00Z', ['timestamp-in-future', 'schema']],
    )
    .chain(([name, at, reasons]) =>
      validReadings.map(
        (specs): Mutation => ({
          variant: `sentAt ${name}`,
          reasons,
          // sentAt is checked after the envelope: the seq is read and released, unless the schema refuses it
          takesSeq: !reasons.includes('schema'),
          render: (ctx) =>
            encode(
              message(
                ctx,
                specs.map((s, k) => reading(s, ctx, k)),
                { sentAt: at(ctx) },
              ),
            ),
        }),
      ),
    ),
  fc
    .constantFrom<[string, (c: RenderContext) => Json, readonly string[]]>(
      ['0', () => 0, ['timestamp-too-old']],
      ['8 days ago', (c) => c.now - 8 * DAY, ['timestamp-too-old']],
      ['2000 ISO', () => '2000-01-01T00:00:00+08:00', ['timestamp-too-old']],
      ['10 minutes ahead', (c) => c.now + 600_000, ['timestamp-in-future']],
      ['year 9999', () => '9999-12-31T23:59:59Z', ['timestamp-in-future']],
      ['8.64e15 ms', () => 8_640_000_000_000_000, ['timestamp-in-future']],
    )
    .chain(([name, at, reasons]) => everyReading('ts', (ctx) => at(ctx), `reading.ts ${name}`, reasons)),
);

const foreignId = (transport: Transport): fc.Arbitrary<Mutation> => {
  const withReadings = (
    variant: string,
    reasons: readonly string[],
    takesSeq: boolean,
    over: (ctx: RenderContext) => Record<string, Json>,
    tweak?: TransportTweak,
  ) =>
    validReadings.map(
      (specs): Mutation => ({
        variant,
        reasons,
        takesSeq,
        tweak,
        render: (ctx) =>
          encode(
            message(
              ctx,
              specs.map((s, k) => reading(s, ctx, k)),
              over(ctx),
            ),
          ),
      }),
    );
  const common = [
    withReadings('body enterpriseId of another enterprise', ['wrong-enterprise'], true, (c) => ({
      enterpriseId: c.foreignEnterpriseId,
    })),
    withReadings('body enterpriseId unregistered', ['wrong-enterprise'], true, () => ({
      enterpriseId: '140105zz9999',
    })),
    everyReading('point', (c) => c.foreignPoint, "reading.point of another enterprise's", ['unknown-point']),
  ];
  if (transport === 'kafka') {
    return fc.oneof(
      ...common,
      withReadings("gatewayId of another enterprise's gateway", ['unknown-gateway'], false, (c) => ({
        gatewayId: c.foreignGatewayId,
      })),
      withReadings('gatewayId unregistered', ['unknown-gateway'], false, () => ({ gatewayId: 'gw-nobody' })),
      withReadings('header enterprise unregistered', ['unknown-enterprise'], false, () => ({}), {
        kafkaEnterprise: '140105zz9999',
      }),
      withReadings('header enterprise not an id', ['unknown-enterprise'], false, () => ({}), {
        kafkaEnterprise: '__proto__',
      }),
      withReadings('no enterprise header or key', ['unknown-enterprise'], false, () => ({}), {
        kafkaEnterprise: null,
      }),
      withReadings('yj-format csv', ['unsupported-format'], false, () => ({}), { kafkaFormat: 'csv' }),
    );
  }
  const gateways = [
    withReadings('gatewayId of a sibling gateway', ['wrong-gateway'], false, (c) => ({
      gatewayId: c.siblingGatewayId,
    })),
    withReadings("gatewayId of another enterprise's gateway", ['wrong-gateway'], false, (c) => ({
      gatewayId: c.foreignGatewayId,
    })),
  ];
  if (transport === 'mqtt') return fc.oneof(...common, ...gateways);
  return fc.oneof(
    ...common,
    ...gateways,
    withReadings('X-Yujing-Enterprise of another enterprise', ['wrong-enterprise'], false, () => ({}), {
      claimForeignEnterpriseHeader: true,
    }),
    fc
      .constantFrom<string | null>(null, 'Bearer tok_not-a-registered-token', 'Basic Z3c6cHc=', 'Bearer ')
      .map(
        (authorization): Mutation => ({
          variant: `Authorization ${authorization === null ? 'missing' : authorization.split(' ')[0]}`,
          reasons: [],
          refusedUnread: true,
          httpStatus: 401,
          takesSeq: false,
          tweak: { authorization },
          render: (ctx) => encode(message(ctx, [reading(VALID_ONE, ctx, 0)])),
        }),
      ),
    // the foreign gateway's own token, with this gateway's id in the body
    withReadings("another enterprise's gateway token", ['wrong-gateway'], false, () => ({}), {
      foreignToken: true,
    }),
  );
};

/** Any reason of yj.deadletter.v1's intake list: the oracle of a randomly broken field is only "refused". */
const ANY_REASON = [
  'oversize',
  'invalid-json',
  'schema',
  'unknown-enterprise',
  'unknown-gateway',
  'unknown-point',
  'wrong-enterprise',
  'wrong-gateway',
  'non-finite',
  'timestamp-too-old',
  'timestamp-in-future',
] as const;

/** Any JSON value, strings with any UTF-16 unit (lone surrogates too), a little nesting. */
const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

/**
 * One field of the envelope or of every reading replaced by an arbitrary JSON value that the field
 * cannot take (a number for reading.v would be valid, so numbers are left out there; a random
 * sentAt number is years old, a random reading.ts too).
 */
const randomJson: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .record({
      field: fc.constantFrom('v', 'gatewayId', 'seq', 'sentAt', 'readings'),
      value: anyJson,
      specs: validReadings,
    })
    // a value the field can take is no mutation: v=1, a seq that is a non-negative safe integer
    .filter(
      ({ field, value }) =>
        !(field === 'v' && value === 1) &&
        !(field === 'seq' && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0),
    )
    .map(
      ({ field, value, specs }): Mutation => ({
        variant: `${field}=<random ${Array.isArray(value) ? 'array' : typeof value}>`,
        reasons: ANY_REASON,
        takesSeq: false,
        render: (ctx) =>
          encode(
            message(
              ctx,
              specs.map((s, k) => reading(s, ctx, k)),
              { [field]: value },
            ),
          ),
      }),
    ),
  fc
    .record({ field: fc.constantFrom('point', 'ts', 'v', 'q'), value: anyJson, specs: validReadings })
    .filter(({ field, value }) => !(field === 'v' && typeof value === 'number'))
    .map(
      ({ field, value, specs }): Mutation => ({
        variant: `reading.${field}=<random ${Array.isArray(value) ? 'array' : typeof value}>`,
        reasons: ANY_REASON,
        takesSeq: true,
        render: (ctx) =>
          encode(
            message(
              ctx,
              specs.map((s, k) => ({ ...reading(s, ctx, k), [field]: value })),
            ),
          ),
      }),
    ),
  anyJson.map(
    (value): Mutation => ({
      variant: `body=<random ${Array.isArray(value) ? 'array' : typeof value}>`,
      reasons: ANY_REASON,
      takesSeq: false,
      render: (ctx) => encode([ctx.marker, value]),
    }),
  ),
);

/** Offsets a gateway may write sentAt with (UTC+14 … UTC−12, and Z). */
const OFFSETS = ['+08:00', 'Z', '+14:00', '-12:00', '+05:45'] as const;
const withOffset = (ms: number, offset: (typeof OFFSETS)[number]) => {
  if (offset === 'Z') return new Date(ms).toISOString();
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number) as [number, number];
  return `${new Date(ms + sign * (h * 60 + m) * 60_000).toISOString().slice(0, -1)}${offset}`;
};

const valid = (transport: Transport): fc.Arbitrary<Mutation> =>
  fc
    .record({
      specs: validReadings,
      claim: fc.boolean(),
      isoSentAt: fc.option(fc.constantFrom(...OFFSETS)),
      keyOnly: fc.boolean(),
    })
    .map(({ specs, claim, isoSentAt, keyOnly }) => ({
      variant: `valid${claim ? ', enterpriseId claimed' : ''}${isoSentAt ? `, sentAt ${isoSentAt}` : ''}`,
      valid: true,
      readings: specs.length,
      takesSeq: true,
      tweak: transport === 'kafka' && keyOnly ? { kafkaKeyOnly: true } : undefined,
      render: (ctx: RenderContext) =>
        encode(
          message(
            ctx,
            specs.map((s, k) => reading(s, ctx, k)),
            {
              ...(claim ? { enterpriseId: ctx.enterpriseId } : {}),
              ...(isoSentAt ? { sentAt: withOffset(ctx.sentAt, isoSentAt) } : {}),
            },
          ),
        ),
    }));

/**
 * One generated message for `transport`: about a third valid, the rest spread over the bad-input
 * families; oversize ones are rare (they are large).
 */
export function fuzzCase(transport: Transport): fc.Arbitrary<FuzzCase> {
  const families: [FuzzClass, number, fc.Arbitrary<Mutation>][] = [
    ['valid', 30, valid(transport)],
    ['wrong-type', 12, wrongTypeFor(transport)],
    ['huge-number', 8, hugeNumber],
    ['nan-infinity-string', 8, nanInfinityString],
    ['deep-nesting', 6, deepNesting],
    ['proto-keys', 10, protoKeys],
    ['invalid-utf8', 8, invalidUtf8],
    ['oversize', 1, oversize(transport)],
    ['far-time', 8, farTime],
    ['foreign-id', 9, foreignId(transport)],
    ['random-json', 10, randomJson],
  ];
  return fc.oneof(
    ...families.map(([cls, weight, arb]) => ({
      weight,
      arbitrary: arb.map(
        (m): FuzzCase => ({
          cls,
          variant: m.variant,
          valid: m.valid ?? false,
          reasons: m.reasons ?? [],
          refusedUnread: m.refusedUnread,
          httpStatus: m.httpStatus,
          markerless: m.markerless,
          readings: m.valid ? (m.readings ?? 0) : 0,
          takesSeq: m.takesSeq,
          tweak: m.tweak,
          render: m.render,
        }),
      ),
    })),
  );
}
