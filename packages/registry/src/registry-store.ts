import {
  type AlarmLevel,
  builtInTemplate,
  type ClassCode,
  type DutyRoster,
  type EffectivePoint,
  type Enterprise,
  type EscalationPolicy,
  type Gateway,
  issuesToRecords,
  type Person,
  type Platform,
  type Point,
  type RegistryDocument,
  type RegistryEntityKind,
  RegistryRecord,
  type RuleTemplate,
  type WebhookSubscription,
} from '@yujing/schemas';
import {
  documentEntities,
  ENTITY_SCHEMAS,
  entityId,
  parseRegistryKey,
  type RegistryEntity,
} from './entity-key';
import { registryErrors } from './registry-errors';
import { resolveEffectivePoint } from './resolve-effective-point';

export interface RegistryChange {
  kind: RegistryEntityKind;
  id: string;
  deleted: boolean;
}

/** Who changed an entity last, and its version (from the registry record). */
export interface EntityMeta {
  version: number;
  changedBy: string;
  changedAt: number;
}

const byId = <T>(m: Map<string, T>) =>
  [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

/**
 * The always-current, in-memory view of the registry. Pure: no I/O, synchronous. Fed by
 * `apply` (one `yj.registry.v1` record, null = tombstone) or `loadDocument`. Effective points
 * are resolved on first use and cached until something they depend on changes. Templates not
 * in the registry fall back to the built-in catalogue (RULE_TEMPLATES) with the same id.
 */
export class RegistryStore {
  #version = 0;
  readonly #enterprises = new Map<string, Enterprise>();
  readonly #gateways = new Map<string, Gateway>();
  /** enterpriseId → code → point */
  readonly #points = new Map<string, Map<string, Point>>();
  readonly #templates = new Map<string, RuleTemplate>();
  readonly #policies = new Map<string, EscalationPolicy>();
  readonly #subscriptions = new Map<string, WebhookSubscription>();
  readonly #people = new Map<string, Person>();
  readonly #rosters = new Map<string, DutyRoster>();
  readonly #platforms = new Map<string, Platform>();
  readonly #meta = new Map<string, EntityMeta>();
  readonly #effective = new Map<string, EffectivePoint | null>();
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  /** +1 per applied change. */
  get version(): number {
    return this.#version;
  }

  /**
   * Applies one record of `yj.registry.v1` (key `<kind>/<id>`; null = tombstone). The topic has
   * one partition, so the last record of a key wins. Throws YJ_ERR_REGISTRY_KEY_INVALID or
   * YJ_ERR_REGISTRY_RECORD_INVALID for input that does not fit; the store is then unchanged.
   */
  apply(key: string, record: RegistryRecord | null): void {
    const { kind, id } = parseRegistryKey(key);
    if (record === null) {
      this.#delete(kind, id);
      return;
    }
    const rec = RegistryRecord.safeParse(record);
    const data = rec.success ? ENTITY_SCHEMAS[kind].safeParse(rec.data.data) : undefined;
    const idMatches =
      rec.success &&
      data?.success &&
      rec.data.kind === kind &&
      rec.data.id === id &&
      entityId(kind, data.data as never) === id;
    if (!rec.success || !data?.success || !idMatches) {
      const issues = !rec.success ? rec.error.issues : data && !data.success ? data.error.issues : [];
      throw registryErrors.YJ_ERR_REGISTRY_RECORD_INVALID(`registry record ${key} is invalid`, {
        context: {
          key,
          issues:
            issues.length > 0
              ? issuesToRecords(issues)
              : [{ path: 'id', message: 'kind/id of the record or entity differ from the key' }],
        },
      });
    }
    this.#meta.set(key, {
      version: rec.data.version,
      changedBy: rec.data.changedBy,
      changedAt: rec.data.changedAt,
    });
    this.#put(kind, id, data.data as RegistryEntity);
  }

  /** Bulk load (tests, CLI): every entity of the document replaces the one with its id. */
  loadDocument(doc: RegistryDocument): void {
    for (const e of documentEntities(doc)) this.#put(e.kind, e.id, e.data);
  }

  /** Version, author and time of an entity's last change (absent for loadDocument entities). */
  meta(kind: RegistryEntityKind, id: string): EntityMeta | undefined {
    return this.#meta.get(`${kind}/${id}`);
  }

  enterprise(id: string): Enterprise | undefined {
    return this.#enterprises.get(id);
  }
  enterprises(): Enterprise[] {
    return byId(this.#enterprises);
  }
  gateway(enterpriseId: string, gatewayId: string): Gateway | undefined {
    return this.#gateways.get(`${enterpriseId}:${gatewayId}`);
  }
  gateways(): Gateway[] {
    return byId(this.#gateways);
  }
  point(enterpriseId: string, code: string): Point | undefined {
    return this.#points.get(enterpriseId)?.get(code);
  }
  points(enterpriseId: string): Point[] {
    const m = this.#points.get(enterpriseId);
    return m ? byId(m) : [];
  }

  /** Template + classification variant + overrides resolved; undefined when the point or its enterprise is unknown. */
  effectivePoint(enterpriseId: string, code: string): EffectivePoint | undefined {
    const key = `${enterpriseId}:${code}`;
    const cached = this.#effective.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const point = this.point(enterpriseId, code);
    const enterprise = this.enterprise(enterpriseId);
    if (!point || !enterprise) return undefined;
    const { effective } = resolveEffectivePoint(
      point,
      enterprise,
      (id) => this.template(id),
      this.points(enterpriseId),
    );
    this.#effective.set(key, effective ?? null);
    return effective;
  }
  effectivePoints(enterpriseId: string): EffectivePoint[] {
    return this.points(enterpriseId)
      .map((p) => this.effectivePoint(enterpriseId, p.code))
      .filter((p): p is EffectivePoint => p !== undefined);
  }

  /** Templates held in the registry (the built-in catalogue is not listed). */
  templates(): RuleTemplate[] {
    return byId(this.#templates);
  }

  /** Every entity held, with its kind and topic id (for pruning and export). */
  entities(): { kind: RegistryEntityKind; id: string; data: RegistryEntity }[] {
    return documentEntities({
      enterprises: this.enterprises(),
      gateways: this.gateways(),
      points: [...this.#points.keys()].sort().flatMap((e) => this.points(e)),
      templates: this.templates(),
      policies: this.policies(),
      subscriptions: this.subscriptions(),
      people: this.people(),
      rosters: this.rosters(),
      platforms: this.platforms(),
    });
  }

  /** A registry template, else the built-in one with that id. */
  template(id: string): RuleTemplate | undefined {
    return this.#templates.get(id) ?? builtInTemplate(id);
  }
  /** The first policy (by id) covering the class letter and level. */
  policyFor(classCode: ClassCode, level: AlarmLevel): EscalationPolicy | undefined {
    return this.policies().find((p) => p.classification.includes(classCode) && p.levels.includes(level));
  }
  policies(): EscalationPolicy[] {
    return byId(this.#policies);
  }
  subscriptions(): WebhookSubscription[] {
    return byId(this.#subscriptions);
  }
  /** People who can be notified (notification routing, docs/notifications.md). */
  people(): Person[] {
    return byId(this.#people);
  }
  person(id: string): Person | undefined {
    return this.#people.get(id);
  }
  /** External platforms that send telemetry over Kafka, each with the enterprises it may speak for. */
  platforms(): Platform[] {
    return byId(this.#platforms);
  }
  platform(id: string): Platform | undefined {
    return this.#platforms.get(id);
  }
  /** On-call rosters (值班表). */
  rosters(): DutyRoster[] {
    return byId(this.#rosters);
  }

  /** Called synchronously after every applied change; returns an unsubscribe function. */
  onChange(listener: (change: RegistryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #put(kind: RegistryEntityKind, id: string, data: RegistryEntity): void {
    switch (kind) {
      case 'enterprise':
        this.#enterprises.set(id, data as Enterprise);
        break;
      case 'gateway':
        this.#gateways.set(id, data as Gateway);
        break;
      case 'point': {
        const p = data as Point;
        const m = this.#points.get(p.enterpriseId) ?? new Map<string, Point>();
        m.set(p.code, p);
        this.#points.set(p.enterpriseId, m);
        break;
      }
      case 'template':
        this.#templates.set(id, data as RuleTemplate);
        break;
      case 'policy':
        this.#policies.set(id, data as EscalationPolicy);
        break;
      case 'subscription':
        this.#subscriptions.set(id, data as WebhookSubscription);
        break;
      case 'person':
        this.#people.set(id, data as Person);
        break;
      case 'roster':
        this.#rosters.set(id, data as DutyRoster);
        break;
      case 'platform':
        this.#platforms.set(id, data as Platform);
        break;
    }
    this.#changed(kind, id, false);
  }

  #delete(kind: RegistryEntityKind, id: string): void {
    this.#meta.delete(`${kind}/${id}`);
    let existed: boolean;
    switch (kind) {
      case 'enterprise':
        existed = this.#enterprises.delete(id);
        break;
      case 'gateway':
        existed = this.#gateways.delete(id);
        break;
      case 'point': {
        const [enterpriseId = '', code = ''] = splitOnce(id);
        const m = this.#points.get(enterpriseId);
        existed = m?.delete(code) ?? false;
        if (m && m.size === 0) this.#points.delete(enterpriseId);
        break;
      }
      case 'template':
        existed = this.#templates.delete(id);
        break;
      case 'policy':
        existed = this.#policies.delete(id);
        break;
      case 'subscription':
        existed = this.#subscriptions.delete(id);
        break;
      case 'person':
        existed = this.#people.delete(id);
        break;
      case 'roster':
        existed = this.#rosters.delete(id);
        break;
      case 'platform':
        existed = this.#platforms.delete(id);
        break;
    }
    if (existed) this.#changed(kind, id, true);
  }

  #changed(kind: RegistryEntityKind, id: string, deleted: boolean): void {
    this.#version++;
    this.#invalidate(kind, id);
    const change = { kind, id, deleted };
    for (const l of this.#listeners) l(change);
  }

  /** Drops cached effective points that depend on the changed entity. */
  #invalidate(kind: RegistryEntityKind, id: string): void {
    if (kind === 'template') this.#effective.clear();
    else if (kind === 'enterprise' || kind === 'point') {
      // A point's siblings feed its combination references, so a point change invalidates its enterprise.
      const enterpriseId = kind === 'enterprise' ? id : splitOnce(id)[0];
      for (const key of this.#effective.keys())
        if (key.startsWith(`${enterpriseId}:`)) this.#effective.delete(key);
    }
  }
}

function splitOnce(id: string): [string, string] {
  const i = id.indexOf(':');
  return i < 0 ? [id, ''] : [id.slice(0, i), id.slice(i + 1)];
}
