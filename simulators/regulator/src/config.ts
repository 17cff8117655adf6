import { boolVar, intVar, logLevelVar } from '@yujing/config';
import { z } from 'zod';

/** The regulator simulator's environment (read once in main.ts). */
export const RegulatorConfig = z.object({
  /** Registry directory whose webhook subscriptions (URL path + secret) we answer; default: the fixture fleet. */
  REGISTRY_DIR: z.string().optional(),
  /** JSON-lines file recording every request (accepted, duplicate, rejected); '' = none. */
  REGULATOR_RECORD_FILE: z.string().default('.run/regulator-deliveries.jsonl'),
  /** Print one human line per request on stdout. */
  REGULATOR_PRINT: boolVar().default(true),
  /** Colour the printed lines by alarm level (1 red … 4 blue). */
  REGULATOR_COLOUR: boolVar().default(true),
  /** Answer 503 to the first N attempts of every delivery, to watch the dispatcher retry. */
  REGULATOR_FAIL_FIRST: intVar(0, 100).default(0),
  /** Accepted clock skew of X-Yujing-Timestamp, in seconds. */
  REGULATOR_TOLERANCE_SEC: intVar(1, 86_400).default(300),
  LOG_LEVEL: logLevelVar().default('info'),
});
export type RegulatorConfig = z.infer<typeof RegulatorConfig>;
