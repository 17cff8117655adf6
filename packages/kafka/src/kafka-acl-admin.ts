import kafkajs, { type Kafka } from 'kafkajs';
import type { AclBinding } from './topic-access';

// kafkajs is CommonJS and Node's ESM loader does not see these enums as named exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/**
 * Creates the ACLs (all ALLOW, any host) with an admin principal. Kafka ignores an ACL that
 * already exists, so applying the table again is harmless; an ACL no longer in the table is
 * removed with `removeAclsNotIn`.
 */
export async function applyKafkaAcls(kafka: Kafka, bindings: readonly AclBinding[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: bindings.map(toKafkajs) });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the ACLs of the given principals that the table does not hold (a revoked grant). */
export async function removeAclsNotIn(
  kafka: Kafka,
  bindings: readonly AclBinding[],
  principals: readonly string[],
): Promise<number> {
  const wanted = new Set(bindings.map(aclKey));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const found = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const stale: ReturnType<typeof toKafkajs>[] = [];
    for (const r of found.resources) {
      for (const a of r.acls) {
        if (!principals.includes(a.principal)) continue;
        const b = fromKafkajs(
          r.resourceType,
          r.resourceName,
          r.resourcePatternType,
          a.principal,
          a.operation,
        );
        if (b && !wanted.has(aclKey(b))) stale.push(toKafkajs(b));
      }
    }
    if (stale.length > 0) await admin.deleteAcls({ filters: stale });
    return stale.length;
  } finally {
    await admin.disconnect();
  }
}

const RESOURCE = {
  TOPIC: AclResourceTypes.TOPIC,
  GROUP: AclResourceTypes.GROUP,
  CLUSTER: AclResourceTypes.CLUSTER,
};
const PATTERN = { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED };
const OPERATION = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  IDEMPOTENT_WRITE: AclOperationTypes.IDEMPOTENT_WRITE,
};

function toKafkajs(b: AclBinding) {
  return {
    resourceType: RESOURCE[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: PATTERN[b.resourcePatternType],
    principal: b.principal,
    host: '*',
    operation: OPERATION[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

function fromKafkajs(
  resourceType: number,
  resourceName: string,
  patternType: number,
  principal: string,
  operation: number,
): AclBinding | undefined {
  const rt = (Object.keys(RESOURCE) as (keyof typeof RESOURCE)[]).find((k) => RESOURCE[k] === resourceType);
  const pt = (Object.keys(PATTERN) as (keyof typeof PATTERN)[]).find((k) => PATTERN[k] === patternType);
  const op = (Object.keys(OPERATION) as (keyof typeof OPERATION)[]).find((k) => OPERATION[k] === operation);
  if (!rt || !pt || !op) return undefined;
  return { resourceType: rt, resourceName, resourcePatternType: pt, principal, operation: op };
}

const aclKey = (b: AclBinding) =>
  [b.resourceType, b.resourcePatternType, b.resourceName, b.principal, b.operation].join('|');
