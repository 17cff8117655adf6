import type { TypedProducer } from '@yujing/kafka';
import type { DeliveryRecord } from '@yujing/schemas';

/**
 * Emits one DeliveryRecord per attempt to `yj.deliveries.v1` (key alarmId), the proof of
 * delivery store-writer keeps. Resolves once Kafka has it; a failure makes the job retry (the
 * receiver dedupes by X-Yujing-Delivery), so an attempt is never left unrecorded silently.
 */
export class DeliveryRecorder {
  constructor(private readonly producer: TypedProducer) {}

  async record(rec: DeliveryRecord): Promise<void> {
    await this.producer.send('deliveries', [{ key: rec.alarmId, value: rec }]);
  }
}

/** The subscriber URL without path, query or credentials (DeliveryRecord.target). */
export function targetOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
