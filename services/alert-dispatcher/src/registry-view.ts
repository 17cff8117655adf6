import type { RegistryStore } from '@yujing/registry';

/** The part of the registry the dispatcher reads: enterprises, escalation policies, subscriptions. */
export type RegistryView = Pick<RegistryStore, 'enterprise' | 'policyFor' | 'policies' | 'subscriptions'>;
