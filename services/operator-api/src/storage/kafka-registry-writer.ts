import type { TypedProducer } from '@yujing/kafka';
import { deleteEntity, publishRegistry } from '@yujing/registry';
import type { RegistryDocument, RegistryEntityKind } from '@yujing/schemas';
import type { RegistryWriter } from '../collaborators';

/** Registry writes go through @yujing/registry to the compacted `yj.registry.v1`. */
export function kafkaRegistryWriter(producer: TypedProducer): RegistryWriter {
  return {
    publish: (doc: RegistryDocument, changedBy: string) => publishRegistry(producer, doc, { changedBy }),
    delete: (kind: RegistryEntityKind, id: string) => deleteEntity(producer, kind, id),
  };
}
