export { readOrEmpty, withFileLock, writeFileAtomic } from './atomic-file';
export { brokerAuthErrors } from './broker-auth-errors';
export {
  type BrokerAuthFiles,
  parseAcl,
  parsePasswd,
  renderBrokerAuth,
  usersFromFiles,
} from './broker-auth-files';
export {
  BrokerAuthSync,
  type BrokerAuthTarget,
  type GatewaySource,
  type SyncResult,
  syncBrokerAuthFiles,
} from './broker-auth-sync';
export { type BrokerReload, reloadByCommand, reloadByPidFile } from './broker-reload';
export { type AclGrant, assertSafeUser, type BrokerUser } from './broker-user';
export { gatewayBrokerUser, gatewayUsername, parseGatewayUsername } from './gateway-username';
export { type PlanInput, planBrokerUsers, type ServiceAccount } from './plan-broker-users';
export { ingestServiceAccount } from './service-account';
