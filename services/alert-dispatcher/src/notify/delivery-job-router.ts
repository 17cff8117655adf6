import { WebhookDeliveryJob } from '@yujing/queues';
import type { Job } from 'bullmq';

/**
 * The deliveries queue carries webhook and person deliveries alike (one queue, one retry and
 * dead-letter machinery): a job naming a person goes to the channel processor, the rest to
 * the webhook processor, which also reports invalid jobs.
 */
export function routeDeliveryJob<R1, R2>(
  webhook: (job: Job, token?: string) => Promise<R1>,
  person: (job: Job, data: WebhookDeliveryJob, token?: string) => Promise<R2>,
) {
  return (job: Job, token?: string): Promise<R1 | R2> => {
    const parsed = WebhookDeliveryJob.safeParse(job.data);
    if (parsed.success && parsed.data.person) return person(job, parsed.data, token);
    return webhook(job, token);
  };
}
