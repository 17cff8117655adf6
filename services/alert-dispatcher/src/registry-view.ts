import type { RegistryStore } from '@yujing/registry';

/** The part of the registry the dispatcher reads: enterprises, points, escalation policies, subscriptions, people, rosters. */
export type RegistryView = Pick<
  RegistryStore,
  'enterprise' | 'point' | 'policyFor' | 'policies' | 'subscriptions' | 'people' | 'rosters'
>;
