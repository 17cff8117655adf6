import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import type { FastParser } from '../src/index';
import type { Random } from './telemetry-arbitraries';
import { mutate, seededRandom } from './telemetry-arbitraries';

/** How a fast parser fared against its zod schema over a set of inputs. */
export interface ContractTally {
  /** Inputs on which the fast parser broke its contract with zod. */
  mismatches: Array<{ n: number; input: unknown; fast: unknown; zod: unknown }>;
  fastAccepted: number;
  zodAccepted: number;
  zodRejected: number;
}

/**
 * The contract of a fast parser: result defined ⇒ zod accepts and returns a deep-equal value
 * (same keys in the same order, -0 kept, same prototypes); zod rejects ⇒ result undefined.
 */
export function checkFastParserContract<S extends z.ZodType>(
  schema: S,
  fast: FastParser<z.output<S>>,
  inputs: Iterable<unknown>,
): ContractTally {
  const tally: ContractTally = { mismatches: [], fastAccepted: 0, zodAccepted: 0, zodRejected: 0 };
  let n = 0;
  for (const input of inputs) {
    n++;
    const expected = schema.safeParse(input);
    const got = fast(input);
    if (expected.success) tally.zodAccepted++;
    else tally.zodRejected++;
    if (got !== undefined) tally.fastAccepted++;
    const ok =
      got === undefined ||
      (expected.success &&
        isDeepStrictEqual(got, expected.data) &&
        JSON.stringify(got) === JSON.stringify(expected.data));
    if (!ok)
      tally.mismatches.push({ n, input, fast: got, zod: expected.success ? expected.data : 'rejected' });
  }
  return tally;
}

/**
 * `count` generated values (mutated when asked), each followed by its JSON round trip, as it
 * arrives off the wire.
 */
export function* generatedInputs(
  seed: number,
  count: number,
  make: (rnd: Random) => unknown,
  mutated: boolean,
) {
  const rnd = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const value = mutated ? mutate(rnd, make(rnd)) : make(rnd);
    yield value;
    const json = JSON.stringify(value);
    if (json !== undefined) yield JSON.parse(json);
  }
}
