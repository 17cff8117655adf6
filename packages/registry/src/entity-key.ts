import {
  DutyRoster,
  type DutyRoster as DutyRosterType,
  type Enterprise,
  Enterprise as EnterpriseSchema,
  EscalationPolicy,
  type EscalationPolicy as EscalationPolicyType,
  type Gateway,
  Gateway as GatewaySchema,
  Person,
  type Person as PersonType,
  Platform,
  type Platform as PlatformType,
  type Point,
  Point as PointSchema,
  type RegistryDocument,
  RegistryEntityKind,
  type RuleTemplate,
  RuleTemplate as RuleTemplateSchema,
  type WebhookSubscription,
  WebhookSubscription as WebhookSubscriptionSchema,
} from '@yujing/schemas';
import type { z } from 'zod';
import { registryErrors } from './registry-errors';

/** The entity type stored under each kind. */
export interface RegistryEntityOf {
  enterprise: Enterprise;
  gateway: Gateway;
  point: Point;
  template: RuleTemplate;
  policy: EscalationPolicyType;
  subscription: WebhookSubscription;
  person: PersonType;
  roster: DutyRosterType;
  platform: PlatformType;
}
export type RegistryEntity = RegistryEntityOf[RegistryEntityKind];

/** zod schema of each kind's `data`. */
export const ENTITY_SCHEMAS: { [K in RegistryEntityKind]: z.ZodType<RegistryEntityOf[K]> } = {
  enterprise: EnterpriseSchema,
  gateway: GatewaySchema,
  point: PointSchema,
  template: RuleTemplateSchema,
  policy: EscalationPolicy,
  subscription: WebhookSubscriptionSchema,
  person: Person,
  roster: DutyRoster,
  platform: Platform,
};

/** Which RegistryDocument section holds each kind. */
export const DOCUMENT_SECTION = {
  enterprise: 'enterprises',
  gateway: 'gateways',
  point: 'points',
  template: 'templates',
  policy: 'policies',
  subscription: 'subscriptions',
  person: 'people',
  roster: 'rosters',
  platform: 'platforms',
} as const satisfies { [K in RegistryEntityKind]: keyof RegistryDocument };

/**
 * The id of an entity in the topic key `<kind>/<id>`: enterprise → its id; gateway →
 * `${enterpriseId}:${gatewayId}`; point → `${enterpriseId}:${code}`; template, policy,
 * subscription, person, roster → their id.
 */
export function entityId<K extends RegistryEntityKind>(kind: K, entity: RegistryEntityOf[K]): string {
  switch (kind) {
    case 'gateway': {
      const g = entity as Gateway;
      return `${g.enterpriseId}:${g.id}`;
    }
    case 'point': {
      const p = entity as Point;
      return `${p.enterpriseId}:${p.code}`;
    }
    default:
      return (entity as { id: string }).id;
  }
}

/** Parses `<kind>/<id>`; throws YJ_ERR_REGISTRY_KEY_INVALID otherwise. */
export function parseRegistryKey(key: string): { kind: RegistryEntityKind; id: string } {
  const slash = key.indexOf('/');
  const kind = RegistryEntityKind.safeParse(slash > 0 ? key.slice(0, slash) : '');
  const id = key.slice(slash + 1);
  if (slash <= 0 || !kind.success || id.length === 0) {
    throw registryErrors.YJ_ERR_REGISTRY_KEY_INVALID(
      `registry key "${key}" is not "<kind>/<id>" with a known kind`,
      {
        context: { key },
      },
    );
  }
  return { kind: kind.data, id };
}

/** Every entity of a document with its kind and topic id, in a stable order. */
export function documentEntities(
  doc: RegistryDocument,
): { kind: RegistryEntityKind; id: string; data: RegistryEntity }[] {
  const out: { kind: RegistryEntityKind; id: string; data: RegistryEntity }[] = [];
  for (const kind of RegistryEntityKind.options) {
    for (const data of doc[DOCUMENT_SECTION[kind]] as RegistryEntity[]) {
      out.push({ kind, id: entityId(kind, data as never), data });
    }
  }
  return out;
}
