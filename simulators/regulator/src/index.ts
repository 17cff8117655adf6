export { RegulatorConfig } from './config';
export {
  DeliveryInbox,
  type DeliveryRecordLine,
  type InboxOptions,
  type InboxResponse,
} from './delivery-inbox';
export { formatDeliveryLine } from './delivery-line';
export { DutyRobotInbox, type RobotMessageLine } from './duty-robot-inbox';
export {
  type WalkthroughOptions,
  type WalkthroughResult,
  type WalkthroughTokens,
  walkHazardThroughItsLife,
} from './hazard-walkthrough';
export { listenAddressesOf, RegulatorServer, type RegulatorServerOptions } from './regulator-server';
