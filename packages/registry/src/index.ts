export {
  documentEntities,
  entityId,
  parseRegistryKey,
  type RegistryEntity,
  type RegistryEntityOf,
} from './entity-key';
export { loadRegistryDir } from './load-registry-dir';
export { hashMqttPassword, sha256Hex, verifyMqttPassword } from './mqtt-password';
export { deleteEntity, type PublishOptions, publishRegistry } from './publish-registry';
export { registryErrors } from './registry-errors';
export { RegistryReader, type RegistryReaderOptions } from './registry-reader';
export { type EntityMeta, type RegistryChange, RegistryStore } from './registry-store';
export { type ResolveProblem, type ResolveResult, resolveEffectivePoint } from './resolve-effective-point';
export { type FlatTemplate, flattenTemplate, type TemplateLookup } from './template-chain';
export { type EntitySource, type RegistryProblem, validateRegistry } from './validate-registry';
