import { describe, expect, it } from 'vitest';
import { type IlpRow, type IlpTransport, IlpWriter, questdbErrors } from '../src/index';

const row = (table: string, point: string, tsMs: number): IlpRow => ({
  table,
  symbols: { point },
  columns: { value: { type: 'double', value: 1.5 } },
  tsMs,
});
const rows = (n: number, point: string) =>
  Array.from({ length: n }, (_, i) => row('readings', point, 1_000 + i));

/** A transport that records every body and answers as `answer` says (no network). */
class RecordingTransport implements IlpTransport {
  readonly bodies: string[] = [];
  #release: (() => void)[] = [];
  hold = false;
  constructor(private readonly answer: (body: string) => Error | undefined = () => undefined) {}
  async send(data: Buffer): Promise<boolean> {
    const body = data.toString('latin1');
    this.bodies.push(body);
    if (this.hold) await new Promise<void>((r) => this.#release.push(r));
    const err = this.answer(body);
    if (err) throw err;
    return true;
  }
  releaseAll(): void {
    for (const r of this.#release.splice(0)) r();
  }
  async close(): Promise<void> {}
}
const pointsIn = (body: string) => [...new Set([...body.matchAll(/point=([A-Z]+)/g)].map((m) => m[1]))];

describe('IlpWriter coalescing', () => {
  it('merges calls made in the same turn into one request and resolves each', async () => {
    const t = new RecordingTransport();
    const requests: [number, number][] = [];
    const w = IlpWriter.withTransport(t, { onRequest: (r, c) => requests.push([r, c]) });
    await Promise.all([w.write(rows(3, 'AAA')), w.write(rows(2, 'BBB')), w.write(rows(4, 'CCC'))]);
    expect(t.bodies).toHaveLength(1);
    expect(pointsIn(t.bodies[0]!)).toEqual(['AAA', 'BBB', 'CCC']);
    expect(requests).toEqual([[9, 3]]);
  });

  it('queues calls made while a request is in flight into the next request', async () => {
    const t = new RecordingTransport();
    t.hold = true;
    const w = IlpWriter.withTransport(t);
    const first = w.write(rows(1, 'AAA'));
    await new Promise((r) => setImmediate(r));
    expect(t.bodies).toHaveLength(1);
    const later = [w.write(rows(1, 'BBB')), w.write(rows(1, 'CCC'))];
    t.hold = false;
    t.releaseAll();
    await Promise.all([first, ...later]);
    expect(t.bodies.map(pointsIn)).toEqual([['AAA'], ['BBB', 'CCC']]);
  });

  it('never puts more than maxCoalescedRows in a request, nor splits a call', async () => {
    const t = new RecordingTransport();
    const w = IlpWriter.withTransport(t, { maxCoalescedRows: 5 });
    await Promise.all([w.write(rows(3, 'AAA')), w.write(rows(3, 'BBB')), w.write(rows(7, 'CCC'))]);
    expect(t.bodies.map(pointsIn)).toEqual([['AAA'], ['BBB'], ['CCC']]);
  });

  it('a refused merged request is sent again call by call, so only the bad call rejects', async () => {
    const t = new RecordingTransport((body) =>
      body.includes('point=BAD')
        ? new Error('HTTP request failed, statusCode=400, error=bad row')
        : undefined,
    );
    const w = IlpWriter.withTransport(t);
    const results = await Promise.allSettled([
      w.write(rows(2, 'AAA')),
      w.write(rows(2, 'BAD')),
      w.write(rows(2, 'CCC')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(reason)).toBe(true);
    expect(t.bodies.map(pointsIn)).toEqual([['AAA', 'BAD', 'CCC'], ['AAA'], ['BAD'], ['CCC']]);
  });

  it('a row that cannot be encoded rejects only its own call, with its own row index', async () => {
    const t = new RecordingTransport();
    const w = IlpWriter.withTransport(t);
    const bad: IlpRow = { ...row('readings', 'BAD', 1), columns: { n: { type: 'long', value: 1.5 } } };
    const results = await Promise.allSettled([
      w.write(rows(2, 'AAA')),
      w.write([row('readings', 'BBB', 1), bad]),
    ]);
    expect(results[0]!.status).toBe('fulfilled');
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(reason)).toBe(true);
    expect(reason.context).toMatchObject({ rowIndex: 1 });
    expect(t.bodies.map(pointsIn)).toEqual([['AAA']]);
  });

  it('QuestDB unavailable: every caller of the request rejects as unavailable', async () => {
    const t = new RecordingTransport(() => new Error('connect ECONNREFUSED 127.0.0.1:9000'));
    const w = IlpWriter.withTransport(t);
    const results = await Promise.allSettled([w.write(rows(1, 'AAA')), w.write(rows(1, 'BBB'))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE.is((r as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(t.bodies).toHaveLength(1);
  });

  it('close finishes queued writes, then refuses new ones', async () => {
    const t = new RecordingTransport();
    const w = IlpWriter.withTransport(t);
    const pending = w.write(rows(1, 'AAA'));
    await w.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(w.write(rows(1, 'BBB'))).rejects.toSatisfy((e) =>
      questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE.is(e),
    );
  });
});
