export { RegulatorConfig } from './config';
export {
  DeliveryInbox,
  type DeliveryRecordLine,
  type InboxOptions,
  type InboxResponse,
} from './delivery-inbox';
export { formatDeliveryLine } from './delivery-line';
export { listenAddressesOf, RegulatorServer, type RegulatorServerOptions } from './regulator-server';
