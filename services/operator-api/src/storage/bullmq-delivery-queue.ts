import { commonErrors } from '@yujing/errors';
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
    const jobs = await redisCall(() => this.queue.getFailed(offset, offset + limit - 1));
    return jobs.map((job) => deadDelivery(job));
  }

  async find(jobId: string): Promise<DeadDelivery | undefined> {
    const job = await redisCall(() => this.queue.getJob(jobId));
    return job ? deadDelivery(job) : undefined;
  }

  async replay(jobId: string): Promise<'replayed' | 'not-found' | 'not-failed'> {
    return redisCall(async () => {
      const job = await this.queue.getJob(jobId);
      if (!job) return 'not-found';
      if (!(await job.isFailed())) return 'not-failed';
      await job.retry('failed');
      return 'replayed';
    });
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

/** Redis failures of the queue become 503 (Redis down is not a bug of the request). */
async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw commonErrors.YJ_ERR_DEPENDENCY_UNAVAILABLE('the deliveries queue (Redis) is unavailable', {
      cause: err,
    });
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
