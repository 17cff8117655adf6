import type { RegistryStore } from '@yujing/registry';
import { compileEnterprise, type RulesContext, type RulesOptions } from '@yujing/rules-core';

/**
 * Compiled rules per enterprise from the registry view, compiled on first use and dropped when
 * the enterprise, one of its gateways or points, or any template or policy changes.
 */
export class RulesContexts {
  readonly #cache = new Map<string, RulesContext | null>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: RegistryStore,
    private readonly options: Partial<RulesOptions>,
  ) {
    this.#unsubscribe = store.onChange((change) => {
      // Templates and policies (closed-loop deadlines) may concern every enterprise.
      if (change.kind === 'template' || change.kind === 'policy') this.#cache.clear();
      else if (change.kind === 'enterprise') this.#cache.delete(change.id);
      else if (change.kind === 'point' || change.kind === 'gateway')
        this.#cache.delete(change.id.split(':')[0]!);
    });
  }

  /** The enterprise's compiled rules, or undefined when the registry does not know it. */
  get(enterpriseId: string): RulesContext | undefined {
    const cached = this.#cache.get(enterpriseId);
    if (cached !== undefined) return cached ?? undefined;
    const enterprise = this.store.enterprise(enterpriseId);
    const ctx = enterprise
      ? compileEnterprise({
          enterpriseId,
          enterprise,
          points: this.store.effectivePoints(enterpriseId),
          gateways: this.store.gateways().filter((g) => g.enterpriseId === enterpriseId),
          policies: this.store.policies(),
          options: this.options,
        })
      : null;
    this.#cache.set(enterpriseId, ctx);
    return ctx ?? undefined;
  }

  close(): void {
    this.#unsubscribe();
  }
}
