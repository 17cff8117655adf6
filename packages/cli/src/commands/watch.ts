import { open, stat } from 'node:fs/promises';
import { parseDurationMs } from '@yujing/config';
import { AlarmTransitionEvent } from '@yujing/schemas';
import type { CliCommandGroup, CliIo } from '../cli-command';
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

/** Parses `--name value` flags; env YUJING_API_URL / YUJING_TOKEN fill the gaps. */
function parseArgs(args: readonly string[], io: CliIo): WatchOptions | string {
  const flags = new Map<string, string>();
  const bare = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--plain' || a === '--no-colour') bare.add(a);
    else if (a.startsWith('--') && args[i + 1] !== undefined) flags.set(a.slice(2), args[++i]!);
    else return `unexpected argument "${a}"`;
  }
  const token = flags.get('token') ?? io.env.YUJING_TOKEN;
  if (!token)
    return 'a bearer token is needed: --token <jwt> or YUJING_TOKEN (mint one with `yujing token mint`)';
  const forMs = flags.has('for') ? parseDurationMs(flags.get('for')!) : 0;
  if (forMs === undefined) return `--for: expected a duration like 90s, got "${flags.get('for')}"`;
  const tty = !bare.has('--plain') && process.stdout.isTTY === true;
  return {
    api: (flags.get('api') ?? io.env.YUJING_API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    token,
    ...(flags.has('deliveries') ? { deliveries: flags.get('deliveries')! } : {}),
    ...(flags.has('level') ? { level: flags.get('level')! } : {}),
    ...(flags.has('enterprise') ? { enterprise: flags.get('enterprise')! } : {}),
    colour: tty && !bare.has('--no-colour') && io.env.NO_COLOR === undefined,
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
        return 77; // EX_NOPERM
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
  return 0;
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

export async function runWatch(args: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const o = parseArgs(args, io);
  if (typeof o === 'string') {
    io.err(`yujing watch: ${o}`);
    return 64;
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

/** `yujing watch alarms [--api URL] [--token JWT] [--deliveries FILE] [--level 1,2] [--enterprise ID] [--for 90s] [--plain]` */
export const watchCommands: CliCommandGroup = {
  name: 'watch',
  summary: 'live terminal views of the running system',
  commands: {
    alarms: {
      summary: 'alarms rising, escalating, acknowledged, delivered and clearing, from the SSE stream',
      usage:
        '[--api URL] [--token JWT] [--deliveries FILE] [--level 1,2] [--enterprise ID] [--for 90s] [--plain]',
      run: (args, io) => runWatch(args, io),
    },
  },
};
