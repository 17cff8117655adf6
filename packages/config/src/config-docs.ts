import { z } from 'zod';

export interface ConfigVariableDoc {
  name: string;
  description: string;
  default?: string;
  required: boolean;
}

/**
 * Lists the variables of a service config schema with their descriptions and defaults, so
 * docs/config.md can be generated from the same schema the service validates with.
 */
export function describeConfig(schema: z.ZodObject): ConfigVariableDoc[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const f = field as z.ZodType;
    const description = f.description ?? z.globalRegistry.get(f)?.description ?? '';
    let def: string | undefined;
    let required = true;
    let cur: z.ZodType = f;
    for (let i = 0; i < 5; i++) {
      const d = (
        cur as {
          _zod: { def: { type: string; defaultValue?: unknown; innerType?: z.ZodType; in?: z.ZodType } };
        }
      )._zod.def;
      if (d.type === 'default') {
        required = false;
        const v = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
        def = String(v);
        break;
      }
      if (d.type === 'optional') {
        required = false;
        break;
      }
      const next = d.innerType ?? d.in;
      if (!next) break;
      cur = next;
    }
    return { name, description, required, ...(def !== undefined ? { default: def } : {}) };
  });
}
