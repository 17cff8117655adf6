import type { ClassCode, RuleOverride, RuleSpec, RuleTemplate } from '@yujing/schemas';

/** A template with its `extends` chain flattened: rules and classification variants merged by id. */
export interface FlatTemplate {
  id: string;
  /** Root first, this template last. */
  chain: string[];
  rules: RuleSpec[];
  byClassification: Partial<Record<ClassCode, { levelShift: number; rules: RuleOverride[] }>>;
}

export type TemplateLookup = (id: string) => RuleTemplate | undefined;

/** Replaces or appends by id, keeping the parent's order. */
function mergeById<T extends { id: string }>(
  base: readonly T[],
  top: readonly T[],
  merge: (a: T, b: T) => T,
): T[] {
  const out = [...base];
  for (const item of top) {
    const i = out.findIndex((r) => r.id === item.id);
    if (i >= 0) out[i] = merge(out[i]!, item);
    else out.push(item);
  }
  return out;
}

/** Field-wise merge of two overrides of the same rule (the later one wins per field). */
export const mergeOverride = (a: RuleOverride, b: RuleOverride): RuleOverride => ({ ...a, ...b });

/**
 * Flattens a template's `extends` chain. A child rule with the id of a parent rule replaces it
 * whole (template rules are complete specs); a child's classification variant for a letter
 * replaces the parent's level shift and merges rule overrides field-wise by id. Returns the
 * problem instead of a template when a template is unknown or the chain is cyclic.
 */
export function flattenTemplate(id: string, lookup: TemplateLookup): FlatTemplate | { problem: string } {
  const chain: RuleTemplate[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined = id;
  while (cursor !== undefined) {
    if (seen.has(cursor))
      return { problem: `template ${id} has a cyclic extends chain (${[...seen, cursor].join(' → ')})` };
    seen.add(cursor);
    const t = lookup(cursor);
    if (!t) {
      return {
        problem:
          cursor === id
            ? `unknown template ${id}`
            : `template ${chain.at(-1)?.id} extends unknown template ${cursor}`,
      };
    }
    chain.unshift(t);
    cursor = t.extends;
  }
  let rules: RuleSpec[] = [];
  const byClassification: FlatTemplate['byClassification'] = {};
  for (const t of chain) {
    rules = mergeById(rules, t.rules, (_parent, child) => child);
    for (const [letter, variant] of Object.entries(t.byClassification) as [
      ClassCode,
      NonNullable<FlatTemplate['byClassification'][ClassCode]>,
    ][]) {
      const parent = byClassification[letter];
      byClassification[letter] = {
        levelShift: variant.levelShift,
        rules: mergeById(parent?.rules ?? [], variant.rules, mergeOverride),
      };
    }
  }
  return { id, chain: chain.map((t) => t.id), rules, byClassification };
}
