import { QUEUES, queueName } from '@yujing/queues';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeadDelivery, DeliveryQueue } from '../collaborators';

/**
 * Reads the alert-dispatcher's deliveries queue: failed jobs are dead-lettered deliveries
 * (retries exhausted); replay moves one back to waiting with the same deliveryId.
 */
export class BullmqDeliveryQueue implements DeliveryQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(queueName('deliveries', prefix), { connection });
  }

  async deadLettered(offset: number, limit: number): Promise<DeadDelivery[]> {
    const jobs = await this.queue.getFailed(offset, offset + limit - 1);
    return jobs.map((job) => deadDelivery(job));
  }

  async find(jobId: string): Promise<DeadDelivery | undefined> {
    const job = await this.queue.getJob(jobId);
    return job ? deadDelivery(job) : undefined;
  }

  async replay(jobId: string): Promise<'replayed' | 'not-found' | 'not-failed'> {
    const job = await this.queue.getJob(jobId);
    if (!job) return 'not-found';
    if (!(await job.isFailed())) return 'not-failed';
    await job.retry('failed');
    return 'replayed';
  }

  async ping(): Promise<boolean> {
    try {
      await this.queue.getFailedCount();
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** A job of the deliveries queue as the API shows it (fields empty when the data breaks its contract). */
function deadDelivery(job: Job): DeadDelivery {
  const data = QUEUES.deliveries.job.safeParse(job.data);
  const payload = data.success ? data.data : undefined;
  return {
    jobId: String(job.id),
    deliveryId: payload?.deliveryId ?? String(job.id),
    subscriptionId: payload?.subscriptionId ?? '',
    alarmId: payload?.payload.alarm.alarmId ?? '',
    enterpriseId: payload?.payload.alarm.enterpriseId ?? '',
    event: payload?.event ?? '',
    attempts: job.attemptsMade,
    failedReason: job.failedReason ?? '',
    failedAt: job.finishedOn ?? null,
  };
}
