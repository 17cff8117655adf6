import { Sender } from '@questdb/nodejs-client';
import type { YujingError } from '@yujing/errors';
import { appendRow, type IlpRow } from './ilp-row';
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
 * Writes rows to QuestDB over ILP/HTTP. `write(rows)` sends them as one request (one
 * transaction per table) and resolves only when QuestDB acknowledged them (HTTP 204).
 *
 * The client drops its buffer when a flush fails, so `write` rebuilds the buffer from the rows
 * on every call: retrying is calling `write` again with the same rows. Writes are serialised,
 * since the underlying sender has one buffer.
 */
export class IlpWriter {
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(readonly sender: Sender) {}

  static async create(config: IlpSenderConfig): Promise<IlpWriter> {
    return new IlpWriter(await Sender.fromConfig(ilpConfString(config)));
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
    this.sender.reset();
    for (const [index, row] of rows.entries()) {
      try {
        await appendRow(this.sender, row);
      } catch (err) {
        this.sender.reset();
        throw questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED(
          `row ${index} cannot be encoded: ${(err as Error).message}`,
          {
            cause: err,
            context: { rowIndex: index, table: row.table },
          },
        );
      }
    }
    try {
      await this.sender.flush();
    } catch (err) {
      this.sender.reset();
      throw classifyWriteError(err);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    this.sender.reset();
    await this.sender.close();
  }
}

/** `createIlpSender(config)`: an IlpWriter over ILP/HTTP (see IlpWriter). */
export function createIlpSender(config: IlpSenderConfig): Promise<IlpWriter> {
  return IlpWriter.create(config);
}
