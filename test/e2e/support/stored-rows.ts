import pg from 'pg';

/** Counts in the QuestDB tables of one run (prefix), over PG wire with bound parameters. */
export class StoredRows {
  readonly #client: pg.Client;

  constructor(
    connectionString: string,
    private readonly tablePrefix: string,
  ) {
    this.#client = new pg.Client({ connectionString });
  }

  async connect(): Promise<void> {
    await this.#client.connect();
  }

  close(): Promise<void> {
    return this.#client.end();
  }

  /** Readings of an enterprise with sensor time in [fromMs, toMs); 0 while the table does not exist yet. */
  readings(enterpriseId: string, fromMs: number, toMs: number): Promise<number> {
    return this.#count(
      `SELECT count() AS n FROM ${this.tablePrefix}readings WHERE enterprise = $1 AND ts >= $2 AND ts < $3`,
      [enterpriseId, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
    );
  }

  /** The newest sensor time stored for an enterprise (ms), or 0. */
  async latestReadingMs(enterpriseId: string): Promise<number> {
    const rows = await this.#rows(
      `SELECT max(ts) AS t FROM ${this.tablePrefix}readings WHERE enterprise = $1`,
      [enterpriseId],
    );
    const t = rows[0]?.t;
    return t ? new Date(t as string).getTime() : 0;
  }

  alarmEvents(alarmId: string): Promise<number> {
    return this.#count(`SELECT count() AS n FROM ${this.tablePrefix}alarm_events WHERE alarm_id = $1`, [
      alarmId,
    ]);
  }

  deliveries(alarmId: string): Promise<number> {
    return this.#count(
      `SELECT count() AS n FROM ${this.tablePrefix}deliveries WHERE alarm_id = $1 AND status = 'delivered'`,
      [alarmId],
    );
  }

  async #count(sql: string, params: unknown[]): Promise<number> {
    const rows = await this.#rows(sql, params);
    return Number(rows[0]?.n ?? 0);
  }

  async #rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return (await this.#client.query(sql, params)).rows;
    } catch (err) {
      if (/does not exist/.test((err as Error).message)) return [];
      throw err;
    }
  }
}
