import { open, stat } from 'node:fs/promises';
import { parseDurationMs } from '@yujing/config';
import { AlarmTransitionEvent } from '@yujing/schemas';
import { type CliCommandGroup, type CliInput, type CliIo, defineCommand } from '../cli-command';
import { EXIT } from '../exit-codes';
import { AlarmBoard, type WatchedDelivery } from './alarm-board';
import { SseParser } from './sse-parser';

interface WatchOptions {
  api: string;
  token: string;
  deliveries?: string;
  level?: string;
  enterprise?: string;
  colour: boolean;
  tty: boolean;
  forMs: number;
}

const ACTIVE_STATES = 'active-unack,active-ack,rtn-unack,shelved';

const WATCH_OPTIONS = {
  api: {
    type: 'string',
    valueName: '<url>',
    description: 'operator API (default YUJING_API_URL or http://127.0.0.1:8080)',
  },
  token: {
    type: 'string',
    valueName: '<jwt>',
    description: 'bearer token (default YUJING_TOKEN; see yujing token mint)',
  },
  deliveries: {
    type: 'string',
    valueName: '<file>',
    description: "also show deliveries from the regulator simulator's JSON-lines record file",
  },
  level: { type: 'string', valueName: '<1,2>', description: 'only these alarm levels' },
  enterprise: { type: 'string', valueName: '<id>', description: 'only this enterprise' },
  for: {
    type: 'string',
    valueName: '<duration>',
    description: 'stop after e.g. 90s (default: until Ctrl-C)',
  },
  plain: { type: 'boolean', description: 'no table redraws (as when stdout is not a terminal)' },
  'no-colour': { type: 'boolean', description: 'no colours (also NO_COLOR)' },
} as const;

/** The watch options; env YUJING_API_URL / YUJING_TOKEN fill the gaps. A string is the usage error. */
function watchOptions(values: CliInput<typeof WATCH_OPTIONS>['values'], io: CliIo): WatchOptions | string {
  const token = values.token ?? io.env.YUJING_TOKEN;
  if (!token)
    return 'a bearer token is needed: --token <jwt> or YUJING_TOKEN (mint one with `yujing token mint`)';
  const forMs = values.for !== undefined ? parseDurationMs(values.for) : 0;
  if (forMs === undefined) return `--for: expected a duration like 90s, got "${values.for}"`;
  const tty = !values.plain && process.stdout.isTTY === true;
  return {
    api: (values.api ?? io.env.YUJING_API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    token,
    ...(values.deliveries !== undefined ? { deliveries: values.deliveries } : {}),
    ...(values.level !== undefined ? { level: values.level } : {}),
    ...(values.enterprise !== undefined ? { enterprise: values.enterprise } : {}),
    colour: tty && !values['no-colour'] && io.env.NO_COLOR === undefined,
    tty,
    forMs,
  };
}

/** Terminal output: transition lines scroll, the active-alarm table stays at the bottom (TTY). */
class Screen {
  #tableLines = 0;
  #lastTableAt = 0;
  constructor(
    private readonly io: CliIo,
    private readonly board: AlarmBoard,
    private readonly tty: boolean,
  ) {}

  lines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const erase = this.tty && this.#tableLines > 0 ? `\x1b[${this.#tableLines}A\x1b[J` : '';
    for (const [i, l] of lines.entries()) this.io.out(i === 0 ? erase + l : l);
    this.#tableLines = 0;
    this.table(false);
  }

  /** TTY: redraw the table under the lines. Plain: print it every 30 s at most. */
  table(force: boolean): void {
    const now = Date.now();
    if (!this.tty && !force && now - this.#lastTableAt < 30_000) return;
    this.#lastTableAt = now;
    const erase = this.tty && this.#tableLines > 0 ? `\x1b[${this.#tableLines}A\x1b[J` : '';
    const table = this.board.table();
    for (const [i, l] of table.entries()) this.io.out(i === 0 ? erase + l : l);
    this.#tableLines = this.tty ? table.length : 0;
  }
}

async function fetchSnapshot(o: WatchOptions, signal: AbortSignal): Promise<AlarmTransitionEvent[]> {
  const url = new URL(`${o.api}/api/v1/alarms`);
  url.searchParams.set('state', ACTIVE_STATES);
  url.searchParams.set('limit', '1000');
  if (o.enterprise) url.searchParams.set('enterprise', o.enterprise);
  const res = await fetch(url, { headers: { authorization: `Bearer ${o.token}` }, signal });
  if (!res.ok)
    throw new Error(`GET /api/v1/alarms answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { items?: unknown[] };
  return (body.items ?? []).flatMap((i) => {
    const r = AlarmTransitionEvent.safeParse(i);
    return r.success ? [r.data] : [];
  });
}

/** Follows the SSE stream, reconnecting with Last-Event-ID and a capped back-off. */
async function follow(
  o: WatchOptions,
  board: AlarmBoard,
  screen: Screen,
  signal: AbortSignal,
): Promise<number> {
  const url = new URL(`${o.api}/api/v1/stream/alarms`);
  if (o.level) url.searchParams.set('level', o.level);
  if (o.enterprise) url.searchParams.set('enterprise', o.enterprise);
  let lastEventId: string | undefined;
  let backoffMs = 1000;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${o.token}`,
        accept: 'text/event-stream',
      };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      else board.load(await fetchSnapshot(o, signal));
      const res = await fetch(url, { headers, signal });
      if (res.status === 401 || res.status === 403) {
        screen.lines([
          `yujing watch: the API refused the token (${res.status}): ${(await res.text()).slice(0, 200)}`,
        ]);
        return EXIT.failure;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      screen.lines([`── connected to ${url.origin}${lastEventId ? ` (resumed after ${lastEventId})` : ''}`]);
      backoffMs = 1000;
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        for (const ev of parser.feed(decoder.decode(chunk, { stream: true }))) {
          if (ev.id) lastEventId = ev.id;
          if (ev.event === 'alarm') {
            const parsed = AlarmTransitionEvent.safeParse(JSON.parse(ev.data));
            const line = parsed.success
              ? board.apply(parsed.data)
              : `?? unreadable alarm event ${ev.id ?? ''}`;
            if (line) screen.lines([line]);
          } else if (ev.event === 'reload') {
            board.load(await fetchSnapshot(o, signal));
            screen.lines(['── the server lost our place: reloaded the active alarms']);
          }
        }
      }
      if (!signal.aborted) screen.lines(['── stream ended; reconnecting']);
    } catch (err) {
      if (signal.aborted) break;
      screen.lines([`── stream lost (${(err as Error).message}); retrying in ${backoffMs / 1000}s`]);
    }
    await new Promise((r) => setTimeout(r, backoffMs));
    backoffMs = Math.min(backoffMs * 2, 10_000);
  }
  return EXIT.ok;
}

/** Prints new lines of the regulator simulator's JSON-lines record file as "delivered" lines. */
async function tailDeliveries(
  file: string,
  board: AlarmBoard,
  screen: Screen,
  signal: AbortSignal,
): Promise<void> {
  let offset = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  let partial = '';
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, 1000));
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size < offset) offset = 0; // truncated or replaced
    if (size === offset) continue;
    const fh = await open(file, 'r');
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset).finally(() => fh.close());
    offset = size;
    const text = partial + buf.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    screen.lines(
      lines.filter(Boolean).flatMap((l) => {
        try {
          const r = JSON.parse(l) as WatchedDelivery & { payload?: { alarm?: AlarmTransitionEvent } };
          const a = r.payload?.alarm;
          return r.outcome === 'rejected'
            ? []
            : [
                board.deliveryLine({
                  ...r,
                  ...(a
                    ? { level: a.level, point: a.point, enterpriseId: a.enterpriseId, alarmId: a.alarmId }
                    : {}),
                }),
              ];
        } catch {
          return [];
        }
      }),
    );
  }
}

export async function runWatch(
  { values }: CliInput<typeof WATCH_OPTIONS>,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const o = watchOptions(values, io);
  if (typeof o === 'string') {
    io.err(`yujing watch alarms: ${o}`);
    return EXIT.usage;
  }
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  signal?.addEventListener('abort', onSigint);
  const timer = o.forMs > 0 ? setTimeout(onSigint, o.forMs) : undefined;
  const board = new AlarmBoard(o.colour);
  const screen = new Screen(io, board, o.tty);
  io.out(
    `yujing watch: alarms from ${o.api}${o.deliveries ? `, deliveries from ${o.deliveries}` : ''} (Ctrl-C to stop)`,
  );
  try {
    const tail = o.deliveries ? tailDeliveries(o.deliveries, board, screen, stop.signal) : Promise.resolve();
    const code = await follow(o, board, screen, stop.signal);
    stop.abort();
    await tail;
    return code;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
  }
}

export const watchCommands: CliCommandGroup = {
  name: 'watch',
  summary: 'live terminal views of the running system',
  commands: {
    alarms: defineCommand({
      summary: 'alarms rising, escalating, acknowledged, delivered and clearing, from the SSE stream',
      options: WATCH_OPTIONS,
      details: ['exit 1 when the API refuses the token; otherwise runs until Ctrl-C or --for'],
      run: (input, io) => runWatch(input, io),
    }),
  },
};
