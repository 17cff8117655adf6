import { type EscalationStepJob, QUEUES } from '@yujing/queues';
import type { Queue } from 'bullmq';
import { escalationJobId } from './escalation-plan';

/**
 * Escalation steps and reminders as BullMQ delayed jobs in Redis: they survive a restart of the
 * dispatcher and any instance's worker runs them when due. Job ids are deterministic, so
 * scheduling the same plan twice adds nothing.
 */
export class EscalationScheduler {
  constructor(
    private readonly queue: Queue,
    /** How long finished step jobs are kept (their ids keep deduplicating replays meanwhile). */
    private readonly keepCompletedMs: number,
  ) {}

  async schedule(jobs: readonly EscalationStepJob[], nowMs: number): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((data) => ({
        name: QUEUES.escalation.jobName,
        data,
        opts: {
          jobId: escalationJobId(data),
          delay: Math.max(0, data.dueAt - nowMs),
          attempts: 5,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: { age: Math.ceil(this.keepCompletedMs / 1000) },
          removeOnFail: { age: Math.ceil(this.keepCompletedMs / 1000) },
        },
      })),
    );
  }

  /**
   * Removes pending jobs. A job being processed right now cannot be removed (BullMQ answers 0
   * for a locked job); that is safe because the processor re-checks the alarm in Redis.
   */
  async cancel(jobIds: readonly string[]): Promise<{ removed: number; busy: number }> {
    let removed = 0;
    let busy = 0;
    for (const id of jobIds) {
      const job = await this.queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized' && state !== 'active')
        continue;
      if ((await this.queue.remove(id)) === 1) removed++;
      else busy++;
    }
    return { removed, busy };
  }
}
