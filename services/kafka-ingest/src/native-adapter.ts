import { rejection } from '@yujing/telemetry-intake';
import type { DecodedTelemetry, InboundRecord, TelemetryAdapter } from './telemetry-adapter';

/** Header naming the enterprise a record speaks for; wins over the key. */
export const ENTERPRISE_HEADER = 'yj-enterprise-id';
/** Header naming the format; absent or `native-v1` = the native format. */
export const FORMAT_HEADER = 'yj-format';

/**
 * The native v1 format (DESIGN §3) on Kafka. The enterprise comes from the `yj-enterprise-id`
 * header, or else from the record key (platforms usually key by enterprise). The value is the
 * same JSON a gateway would send over MQTT.
 */
export const nativeAdapter: TelemetryAdapter = {
  name: 'native-v1',
  canDecode(record: InboundRecord): boolean {
    const format = record.headers[FORMAT_HEADER];
    return format === undefined || format === 'native-v1';
  },
  decode(record: InboundRecord): DecodedTelemetry {
    const enterpriseId = record.headers[ENTERPRISE_HEADER] ?? record.key?.toString('utf8') ?? '';
    if (!/^\d{6}[0-9A-Za-z]{3,12}$/.test(enterpriseId)) {
      return {
        rejection: rejection(
          'unknown-enterprise',
          `no enterprise: set the ${ENTERPRISE_HEADER} header or key the record by enterprise id (got "${enterpriseId.slice(0, 64)}")`,
          [
            {
              path: `header:${ENTERPRISE_HEADER}`,
              message: 'expected an enterprise id',
              code: 'unknown-enterprise',
            },
          ],
        ),
      };
    }
    return { enterpriseId, message: record.value ?? Buffer.alloc(0) };
  },
};
