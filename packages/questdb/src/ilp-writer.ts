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

/**
 * Writes rows to QuestDB over ILP/HTTP. `write(rows)` encodes them with our IlpEncoder and sends
 * them as one request (one transaction per table) through the client's transport, and resolves
 * only when QuestDB acknowledged them (HTTP 204).
 *
 * Every call encodes the rows afresh, so retrying is calling `write` again with the same rows.
 * Writes are serialised: the encoder has one buffer, which must not change while it is sent.
 */
export class IlpWriter {
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #encoder = new IlpEncoder();

  private constructor(private readonly transport: SenderTransport) {}

  static async create(config: IlpSenderConfig): Promise<IlpWriter> {
    return new IlpWriter(createTransport(await SenderOptions.fromConfig(ilpConfString(config))));
  }

  /** Throws YJ_ERR_QUESTDB_ROWS_REJECTED (bad rows, do not retry) or YJ_ERR_QUESTDB_UNAVAILABLE (retry later). */
  write(rows: readonly IlpRow[]): Promise<void> {
    const run = this.#chain.then(() => this.#write(rows));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #write(rows: readonly IlpRow[]): Promise<void> {
    if (this.#closed) throw questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE('ILP writer is closed');
    if (rows.length === 0) return;
    const body = this.#encoder.encode(rows);
    try {
      await this.transport.send(body);
    } catch (err) {
      throw classifyWriteError(err);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    await this.transport.close();
  }
}

/** `createIlpSender(config)`: an IlpWriter over ILP/HTTP (see IlpWriter). */
export function createIlpSender(config: IlpSenderConfig): Promise<IlpWriter> {
  return IlpWriter.create(config);
}
