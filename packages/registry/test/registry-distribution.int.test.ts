import { fileURLToPath } from 'node:url';
import { TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import type { RegistryDocument } from '@yujing/schemas';
import { createTestTopics, type TestTopics, waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistryDir } from '../src/load-registry-dir';
import { deleteEntity, publishRegistry } from '../src/publish-registry';
import { RegistryReader } from '../src/registry-reader';

// The fixture fleet, by path: @yujing/fixtures depends on this package, not the other way round.
const fleetDir = fileURLToPath(new URL('../../../simulators/fixtures/registry', import.meta.url));
const logger = createLogger({ service: 'registry-int-test', level: 'warn' });

describe('registry distribution over the real yj.registry.v1', () => {
  let topics: TestTopics;
  let producer: TypedProducer;
  const readers: RegistryReader[] = [];
  let fleet: RegistryDocument;

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 1, label: 'registry' });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    const loaded = await loadRegistryDir(fleetDir);
    expect(loaded.problems).toEqual([]);
    fleet = loaded.document;
  });

  afterAll(async () => {
    await Promise.allSettled(readers.map((r) => r.stop()));
    await producer?.disconnect();
    await topics?.cleanup();
  });

  const startReader = async () => {
    const reader = new RegistryReader({ kafka: topics.kafka, prefix: topics.prefix, logger });
    readers.push(reader);
    await reader.start();
    return reader;
  };

  it('publishes the fleet, and two readers converge on a changed point and a deleted enterprise', async () => {
    const total = Object.values(fleet).reduce((n, list) => n + list.length, 0);
    expect(await publishRegistry(producer, fleet, { changedBy: 'it:initial' })).toEqual({
      published: total,
      deleted: 0,
    });

    const [a, b] = await Promise.all([startReader(), startReader()]);
    for (const r of [a!, b!]) {
      expect(r.ready).toBe(true);
      expect(r.store.enterprises()).toHaveLength(fleet.enterprises.length);
      expect(r.store.entities()).toHaveLength(total);
    }

    // Re-publishing against the current view sends nothing: unchanged entities are skipped.
    expect(await publishRegistry(producer, fleet, { changedBy: 'it:again', current: a!.store })).toEqual({
      published: 0,
      deleted: 0,
    });

    // A malformed record is skipped and counted; later records still apply.
    await producer.sendEncoded('registry', [{ key: 'point/garbage', value: Buffer.from('{not json') }]);

    // Change one point's design limits and delete one enterprise with everything it owns.
    const target = fleet.points.find((p) => p.kind === 'hopper-temperature')!;
    const gone = fleet.enterprises.find(
      (e) => e.id !== target.enterpriseId && e.industries.includes('wood-dust'),
    )!;
    const changed: RegistryDocument = {
      ...fleet,
      enterprises: fleet.enterprises.filter((e) => e.id !== gone.id),
      gateways: fleet.gateways.filter((g) => g.enterpriseId !== gone.id),
      points: fleet.points
        .filter((p) => p.enterpriseId !== gone.id)
        .map((p) => (p === target ? { ...p, limits: { h: 50, hh: 65 } } : p)),
    };
    const goneCount =
      1 +
      fleet.gateways.filter((g) => g.enterpriseId === gone.id).length +
      fleet.points.filter((p) => p.enterpriseId === gone.id).length;
    expect(
      await publishRegistry(producer, changed, { changedBy: 'it:change', deleteMissingFrom: a!.store }),
    ).toEqual({
      published: 1,
      deleted: goneCount,
    });
    const sub = fleet.subscriptions[0]!;
    await deleteEntity(producer, 'subscription', sub.id);

    for (const r of [a!, b!]) {
      await waitFor(
        () =>
          r.store.enterprise(gone.id) === undefined &&
          r.store.points(gone.id).length === 0 &&
          r.store.subscriptions().every((s) => s.id !== sub.id) &&
          r.store.effectivePoint(target.enterpriseId, target.code)?.limits.h === 50,
        { timeoutMs: 30_000, message: 'reader converged on the change and the deletes' },
      );
      expect(r.store.meta('point', `${target.enterpriseId}:${target.code}`)).toMatchObject({
        version: 2,
        changedBy: 'it:change',
      });
      expect(r.invalidRecords).toBe(1);
    }
    expect(a!.store.entities()).toEqual(b!.store.entities());

    // A reader starting now replays records and tombstones into the same view.
    const late = await startReader();
    expect(late.store.entities()).toEqual(a!.store.entities());
    expect(topicName('registry', topics.prefix)).toMatch(/^registry-.*yj\.registry\.v1$/);
  });
});
