import type { OutgoingRecord, TopicValue, TypedProducer } from '@yujing/kafka';
import { type RegistryDocument, type RegistryEntityKind, registryKey } from '@yujing/schemas';
import { documentEntities } from './entity-key';
import type { RegistryStore } from './registry-store';

export interface PublishOptions {
  /** Who made the change (user id or "cli:<user>"), stored on every record. */
  changedBy: string;
  /** Tombstone every entity of this view that the document does not contain (implies `current`). */
  deleteMissingFrom?: RegistryStore;
  /**
   * The current view (a caught-up RegistryReader's store): entities equal to the held ones are
   * skipped and versions continue from the held ones. Without it every record gets version 1.
   */
  current?: RegistryStore;
}

type RegistryValue = TopicValue<'registry'>;
const CHUNK = 500;

/** JSON with object keys sorted, so equal entities compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

async function sendChunked(producer: TypedProducer, records: OutgoingRecord<RegistryValue>[]): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK)
    await producer.send('registry', records.slice(i, i + CHUNK));
}

/**
 * Publishes a validated document to the compacted `yj.registry.v1`: one record per entity
 * (key `<kind>/<id>`, value `{kind, id, version, changedBy, changedAt, data}`), unchanged
 * entities skipped when the current view is given, and tombstones for entities of
 * `deleteMissingFrom` absent from the document. Resolves once the broker acknowledged all.
 */
export async function publishRegistry(
  producer: TypedProducer,
  doc: RegistryDocument,
  opts: PublishOptions,
): Promise<{ published: number; deleted: number }> {
  const current = opts.current ?? opts.deleteMissingFrom;
  const held = new Map((current?.entities() ?? []).map((e) => [registryKey(e.kind, e.id), e.data]));
  const changedAt = Date.now();
  const records: OutgoingRecord<RegistryValue>[] = [];
  const wanted = new Set<string>();
  for (const e of documentEntities(doc)) {
    const key = registryKey(e.kind, e.id);
    wanted.add(key);
    const before = held.get(key);
    if (before !== undefined && canonical(before) === canonical(e.data)) continue;
    const version = (current?.meta(e.kind, e.id)?.version ?? 0) + 1;
    records.push({
      key,
      value: { kind: e.kind, id: e.id, version, changedBy: opts.changedBy, changedAt, data: e.data },
    });
  }
  const tombstones: OutgoingRecord<RegistryValue>[] = [];
  if (opts.deleteMissingFrom) {
    for (const e of opts.deleteMissingFrom.entities()) {
      const key = registryKey(e.kind, e.id);
      if (!wanted.has(key)) tombstones.push({ key, value: null });
    }
  }
  await sendChunked(producer, [...records, ...tombstones]);
  return { published: records.length, deleted: tombstones.length };
}

/** Publishes the tombstone of one entity (`id` as in the topic key, e.g. `${enterpriseId}:${code}`). */
export async function deleteEntity(
  producer: TypedProducer,
  kind: RegistryEntityKind,
  id: string,
): Promise<void> {
  await producer.send('registry', [{ key: registryKey(kind, id), value: null }]);
}
