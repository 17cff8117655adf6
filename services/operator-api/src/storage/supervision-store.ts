import {
  type HazardRecord,
  type InspectionRecord,
  type SupervisionRecord,
  supervisionKey,
  type TipOffRecord,
} from '@yujing/schemas';

export type WriteOutcome = 'written' | 'conflict';

/**
 * Hazards, tip-offs and inspections as the API reads and writes them (ADR 0003). `write` resolves
 * once the record is the stored version (read back), or 'conflict' when another write of the same
 * version was stored first: the caller re-reads and decides again (HTTP 409).
 */
export interface SupervisionStore {
  hazards(): HazardRecord[];
  hazard(id: string): HazardRecord | undefined;
  tipOffs(): TipOffRecord[];
  tipOff(id: string): TipOffRecord | undefined;
  inspections(): InspectionRecord[];
  inspection(id: string): InspectionRecord | undefined;
  write(record: SupervisionRecord): Promise<WriteOutcome>;
  readonly ready: boolean;
}

/**
 * The current version of each record: the first record of version n + 1 replaces version n, any
 * other is ignored (a lost race, or a replay). Both the Kafka-backed store (fed by the topic) and
 * route tests (fed directly) use it.
 */
export class SupervisionProjection {
  readonly #records = new Map<string, SupervisionRecord>();

  /** Applies a record read from the log; returns the record now stored under its key. */
  apply(record: SupervisionRecord): SupervisionRecord {
    const key = supervisionKey(record);
    const current = this.#records.get(key);
    if ((current?.version ?? 0) + 1 === record.version) {
      this.#records.set(key, record);
      return record;
    }
    return current ?? record;
  }

  get(key: string): SupervisionRecord | undefined {
    return this.#records.get(key);
  }

  ofType<T extends SupervisionRecord['type']>(type: T): Extract<SupervisionRecord, { type: T }>[] {
    return [...this.#records.values()].filter(
      (r): r is Extract<SupervisionRecord, { type: T }> => r.type === type,
    );
  }
}

/** Reads of a projection, shared by both stores. */
export abstract class ProjectedSupervisionStore implements SupervisionStore {
  protected readonly projection = new SupervisionProjection();
  abstract write(record: SupervisionRecord): Promise<WriteOutcome>;
  abstract get ready(): boolean;
  hazards = () => this.projection.ofType('hazard');
  hazard = (id: string) => this.projection.get(`hazard/${id}`) as HazardRecord | undefined;
  tipOffs = () => this.projection.ofType('tip-off');
  tipOff = (id: string) => this.projection.get(`tip-off/${id}`) as TipOffRecord | undefined;
  inspections = () => this.projection.ofType('inspection');
  inspection = (id: string) => this.projection.get(`inspection/${id}`) as InspectionRecord | undefined;
}

/** In memory only: route tests and a single API without Kafka. Not durable. */
export class MemorySupervisionStore extends ProjectedSupervisionStore {
  get ready() {
    return true;
  }
  async write(record: SupervisionRecord): Promise<WriteOutcome> {
    return this.projection.apply(record).writeId === record.writeId ? 'written' : 'conflict';
  }
}
