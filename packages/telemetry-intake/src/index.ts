export { DEAD_LETTER_RAW_LIMIT_BYTES, type DeadLetterFields, deadLetterOf } from './dead-letter-of';
export { DeliveryAbandoned, deliverUntilAcked } from './deliver-until-acked';
export { toEpochMs } from './epoch-time';
export { GapSweeper, type GapSweeperOptions } from './gap-sweeper';
export { statusEvent } from './gateway-status';
export {
  GATEWAY_CHANNELS,
  type GatewayChannel,
  gatewayTopic,
  gatewayTopicRoot,
  type ParsedGatewayTopic,
  parseGatewayTopic,
} from './gateway-topic';
export { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './intake-limits';
export { type IntakeContext, type IntakeOutcome, intakeMessage, summary } from './intake-message';
export type { IntakeRegistry } from './intake-registry';
export { Envelope, fastEnvelope } from './message-envelope';
export { checkReading, type ReadingVerdict } from './reading-check';
export {
  type IntakeIssue,
  REJECT_REASONS,
  type Rejection,
  type RejectReason,
  rejection,
} from './reject-reason';
export {
  DEFAULT_SEQUENCE_OPTIONS,
  type GapReport,
  SequenceTracker,
  type SequenceTrackerOptions,
  type SequenceVerdict,
} from './sequence-tracker';
