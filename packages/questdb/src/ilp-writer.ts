import { createTransport, SenderOptions, type SenderTransport } from '@questdb/nodejs-client';
import type { YujingError } from '@yujing/errors';
import { IlpEncoder } from './ilp-encoder';
import type { IlpRow } from './ilp-row';
import { questdbErrors } from './questdb-errors';

export interface IlpSenderConfig {
  /** QuestDB HTTP endpoint, e.g. http://127.0.0.1:9000. */
  httpUrl: string;
  /** How long the client itself retries 5xx/connection errors before the write fails (ms). */
  retryTimeoutMs?: number;
  /** Base timeout of one HTTP request (ms); the client adds time for large bodies. */
  requestTimeoutMs?: number;
  /** ILP protocol version; 2 (binary doubles) is understood by QuestDB ≥ 9 and needs no negotiation. */
  protocolVersion?: 1 | 2;
}

/** The ILP/HTTP configuration string for a config (auto-flush off: every write is one request). */
export function ilpConfString(config: IlpSenderConfig): string {
  const url = new URL(config.httpUrl);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return [
    `${scheme}::addr=${url.host}`,
    'auto_flush=off',
    `protocol_version=${config.protocolVersion ?? 2}`,
    `retry_timeout=${config.retryTimeoutMs ?? 2_000}`,
    `request_timeout=${config.requestTimeoutMs ?? 10_000}`,
  ].join(';');
}

/** Sorts a failed write into "QuestDB refused these rows" and "QuestDB was not there". */
export function classifyWriteError(err: unknown): YujingError {
  if (
    questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(err) ||
    questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE.is(err)
  ) {
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  const status = /statusCode=(\d{3})/.exec(message)?.[1];
  const code = status ? Number(status) : undefined;
  if (code !== undefined && code >= 400 && code < 500 && code !== 408 && code !== 429) {
    return questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED(`QuestDB answered ${code}: ${message.slice(0, 500)}`, {
      cause: err,
      context: { httpStatus: code },
    });
  }
  return questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE(`QuestDB write failed: ${message.slice(0, 300)}`, {
    cause: err,
    ...(code !== undefined ? { context: { httpStatus: code } } : {}),
  });
}

/** The part of the client's transport IlpWriter uses (tests give it their own). */
export type IlpTransport = Pick<SenderTransport, 'send' | 'close'>;

export interface IlpWriterOptions {
  /** Most rows merged into one request from concurrent `write` calls (a single call is never split). */
  maxCoalescedRows?: number;
  /** Called after every acknowledged request: rows sent and how many `write` calls they served. */
  onRequest?: (rows: number, calls: number) => void;
}

interface PendingWrite {
  rows: readonly IlpRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Writes rows to QuestDB over ILP/HTTP. `write(rows)` resolves only when QuestDB acknowledged
 * those rows (HTTP 204) and rejects with YJ_ERR_QUESTDB_ROWS_REJECTED only when they themselves
 * are bad. Rows are encoded with our IlpEncoder and sent through the client's transport.
 *
 * One request at a time (the encoder's buffer is sent without a copy). Calls that arrive while a
 * request is in flight, or in the same event-loop turn, are merged into the next request (up to
 * `maxCoalescedRows`): QuestDB's cost is largely per transaction, so several consumers' batches
 * in one request cost it much less than one request each. When a merged request is refused (or
 * cannot be encoded), its calls are sent again one by one, so each caller gets the verdict on its
 * own rows; QuestDB commits a refused request's rows of a table not at all, and the tables'
 * DEDUP keys make any row sent twice an overwrite. When QuestDB is unavailable every caller of
 * the request gets YJ_ERR_QUESTDB_UNAVAILABLE and retries by calling `write` again.
 */
export class IlpWriter {
  readonly #encoder = new IlpEncoder();
  readonly #queue: PendingWrite[] = [];
  readonly #maxRows: number;
  readonly #onRequest: ((rows: number, calls: number) => void) | undefined;
  #busy = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: () => void = () => undefined;
  #closed = false;

  private constructor(
    private readonly transport: IlpTransport,
    opts: IlpWriterOptions = {},
  ) {
    this.#maxRows = opts.maxCoalescedRows ?? 100_000;
    this.#onRequest = opts.onRequest;
  }

  static async create(config: IlpSenderConfig, opts: IlpWriterOptions = {}): Promise<IlpWriter> {
    return new IlpWriter(createTransport(await SenderOptions.fromConfig(ilpConfString(config))), opts);
  }

  /** A writer over a given transport (tests; or a transport configured elsewhere). */
  static withTransport(transport: IlpTransport, opts: IlpWriterOptions = {}): IlpWriter {
    return new IlpWriter(transport, opts);
  }

  /** Throws YJ_ERR_QUESTDB_ROWS_REJECTED (bad rows, do not retry) or YJ_ERR_QUESTDB_UNAVAILABLE (retry later). */
  write(rows: readonly IlpRow[]): Promise<void> {
    if (this.#closed) return Promise.reject(questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE('ILP writer is closed'));
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ rows, resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        this.#idle = new Promise((r) => {
          this.#markIdle = r;
        });
        // The next macrotask, so that calls made in this turn (other partitions' batches) join.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#takeGroup();
      if (group.length === 1) {
        const [only] = group as [PendingWrite];
        await this.#send(only.rows).then(only.resolve, only.reject);
        continue;
      }
      try {
        await this.#send(
          group.flatMap((w) => w.rows),
          group.length,
        );
        for (const w of group) w.resolve();
      } catch (err) {
        if (!questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(err)) {
          for (const w of group) w.reject(err);
          continue;
        }
        // Someone's rows are bad: give every caller the verdict on its own rows.
        for (const w of group) await this.#send(w.rows).then(w.resolve, w.reject);
      }
    }
    this.#busy = false;
    this.#markIdle();
  }

  /** The queued calls that fit one request (at least one). */
  #takeGroup(): PendingWrite[] {
    const group = [this.#queue.shift() as PendingWrite];
    let rows = group[0]!.rows.length;
    while (this.#queue.length > 0 && rows + this.#queue[0]!.rows.length <= this.#maxRows) {
      const next = this.#queue.shift() as PendingWrite;
      rows += next.rows.length;
      group.push(next);
    }
    return group;
  }

  async #send(rows: readonly IlpRow[], calls = 1): Promise<void> {
    if (this.#closed) throw questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE('ILP writer is closed');
    const body = this.#encoder.encode(rows);
    try {
      await this.transport.send(body);
    } catch (err) {
      throw classifyWriteError(err);
    }
    this.#onRequest?.(rows.length, calls);
  }

  /** Finishes the requests already queued, then closes the transport; later writes are refused. */
  async close(): Promise<void> {
    await this.#idle;
    this.#closed = true;
    await this.transport.close();
  }
}

/** `createIlpSender(config)`: an IlpWriter over ILP/HTTP (see IlpWriter). */
export function createIlpSender(config: IlpSenderConfig, opts: IlpWriterOptions = {}): Promise<IlpWriter> {
  return IlpWriter.create(config, opts);
}
