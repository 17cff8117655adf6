/**
 * The API's shapes as the console reads them (operator-api OpenAPI at /docs: AlarmTransition,
 * DeliveryAttempt, the report rows). Plain types, so the bundle carries no schema library;
 * fields the console does not read are left out.
 */
export type Level = 1 | 2 | 3 | 4;

export interface AlarmEvent {
  alarmId: string;
  enterpriseId: string;
  point: string;
  rule: string;
  kind: string;
  level: Level;
  state: string;
  loop: string;
  transition: string;
  value: number | null;
  limit: number | null;
  eventTime: number;
  emittedAt: number;
  episodeStart: number;
  actor?: { id: string; role: string; name?: string };
  comment?: string;
  shelvedUntil?: number;
  /** The next closed-loop step and its deadline, when the worker states it. */
  loopDue?: { step: string; dueAt: number };
  region?: { city: string; county: string };
  seq: number;
}

export interface Delivery {
  deliveryId: string;
  alarmId: string;
  subscriptionId: string;
  event: string;
  target: string;
  attempt: number;
  status: string;
  httpStatus: number | null;
  latencyMs: number;
  error?: string;
  at: number;
}

export interface Deadline {
  step: string;
  dueAt: number;
  doneAt: number | null;
  overdue: boolean;
}

export interface EnterpriseSummary {
  id: string;
  name: string;
  region: { province: string; city: string; county: string };
  industries: string[];
  classification: { scheme: string; code: string; rank: number };
  connectionRequiredBy: string;
  gateways: number;
  points: number;
}

export interface ClosedLoopPolicy {
  classification: string[];
  levels: number[];
  closedLoop?: {
    verifyWithinMs: number;
    disposeWithinMs: number;
    feedbackWithinMs?: number;
    closeWithinMs: number;
  };
}
