export { type AlarmEventRow, alarmTimeline, type CurrentAlarmsFilter, currentAlarms } from './alarm-queries';
export { type ApplySchemaOptions, applySchema, DEFAULT_TTL, renderDdl, type Ttl } from './apply-schema';
export { type DeliveryHistoryFilter, type DeliveryRow, deliveryHistory } from './delivery-history';
export { type GatewayOnlineRatio, gatewayOnlineRatios } from './gateway-online-ratio';
export { IlpEncoder } from './ilp-encoder';
export { appendRow, type IlpRow, type IlpValue } from './ilp-row';
export {
  classifyWriteError,
  createIlpSender,
  type IlpSenderConfig,
  type IlpTransport,
  IlpWriter,
  type IlpWriterOptions,
  ilpConfString,
} from './ilp-writer';
export { type OnlineChange, onlineMs } from './online-ratio';
export { parseQuestDbTimestamp, QuestDbQuery, type QuestDbQueryOptions } from './query-client';
export { questdbErrors } from './questdb-errors';
export { type ReadingBucket, type ReadingSeriesArgs, readingSeries } from './reading-series';
export { rowLimit, sampleStepMs, timeRange } from './sql-arguments';
export { TABLE_IDS, type TableId, type TableNames, tableNames } from './table-names';
export { alarmEventRow, deliveryRow, gatewayStatusRow, readingRows } from './table-rows';
export { countRows, walApplied } from './wal-status';
