export { ALARM_COMMAND_ERRORS, type AlarmCommandErrorCode } from './alarm-command-errors';
export { applyCommand, type CommandOutcome, rolesFor } from './alarm-commands';
export {
  type CompiledGroup,
  type CompiledPoint,
  type CompileInput,
  compileEnterprise,
  type RulesContext,
} from './compiled-enterprise';
export {
  type AlarmRecord,
  alarmState,
  createEnterpriseState,
  type EnterpriseState,
  type GatewayState,
  type GroupState,
  PointState,
  SlotState,
} from './engine-state';
export { type BatchInput, type EvaluationResult, evaluateBatch } from './evaluate-batch';
export { DEFAULT_RULES_OPTIONS, type RulesOptions } from './rules-options';
export { restoreState, type StateSnapshot, snapshotState } from './state-snapshot';
export { type TickResult, tick } from './tick';
