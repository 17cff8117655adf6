import { type BatchConsumer, DeadLetterPublisher, TypedProducer } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { QUEUES, queueName } from '@yujing/queues';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { startAlarmConsumer } from './alarm-consumer';
import { AlarmStateStore } from './alarm-state-store';
import { type DispatcherConfig, webhookRequiresHttps } from './config';
import { DeliveryEnqueuer } from './delivery-enqueuer';
import { createDeliveryProcessor } from './delivery-processor';
import { DeliveryRecorder } from './delivery-recorder';
import { createDispatcherMetrics } from './dispatcher-metrics';
import { createEscalationProcessor } from './escalation-processor';
import { EscalationScheduler } from './escalation-scheduler';
import { buildChannelAdapters } from './notify/channel-adapters';
import { routeDeliveryJob } from './notify/delivery-job-router';
import { createPersonDeliveryProcessor } from './notify/person-delivery-processor';
import type { RegistryView } from './registry-view';
import { backoffDelayMs, DELIVERY_BACKOFF_TYPE } from './retry-backoff';
import { createAddressPolicy } from './ssrf-guard';
import { SubscriberRateLimit } from './subscriber-rate-limit';
import { TransitionHandler } from './transition-handler';

export interface DispatcherDeps {
  config: DispatcherConfig;
  logger: Logger;
  kafka: Kafka;
  /** The registry view (a RegistryReader's store in production, a loaded RegistryStore in tests). */
  registry: RegistryView;
  metricsRegistry: Registry;
  now?: () => number;
}

export interface Dispatcher {
  readonly queues: { escalation: Queue; deliveries: Queue };
  readonly state: AlarmStateStore;
  /** True while workers and the consumer run. */
  ready(): boolean;
  start(): Promise<void>;
  /** Stop intake (consumer) → let active jobs finish (workers) → close queues, producer, Redis. */
  stop(): Promise<void>;
}

/** Wires the dispatcher from its dependencies without starting anything. */
export function buildDispatcher(deps: DispatcherDeps): Dispatcher {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const redisOpts = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  const redis = new Redis(config.REDIS_URL, redisOpts);
  const keyPrefix = `yj-dispatch:${config.QUEUE_PREFIX}`;
  const escalationName = queueName('escalation', config.QUEUE_PREFIX);
  const deliveriesName = queueName('deliveries', config.QUEUE_PREFIX);
  const escalationQueue = new Queue(escalationName, { connection: redis });
  const deliveriesQueue = new Queue(deliveriesName, { connection: redis });
  const metrics = createDispatcherMetrics(deps.metricsRegistry);
  metrics.watchQueue('escalation', escalationQueue);
  metrics.watchQueue('deliveries', deliveriesQueue);

  const state = new AlarmStateStore(redis, keyPrefix, config.ALARM_STATE_TTL_MS);
  const scheduler = new EscalationScheduler(escalationQueue, config.JOB_RETENTION_MS);
  const enqueuer = new DeliveryEnqueuer(deliveriesQueue, {
    attempts: config.WEBHOOK_ATTEMPTS,
    keepCompletedMs: config.JOB_RETENTION_MS,
  });
  const producer = new TypedProducer(deps.kafka, { prefix: config.TOPIC_PREFIX });
  const handler = new TransitionHandler({
    registry: deps.registry,
    state,
    scheduler,
    deliveries: enqueuer,
    metrics,
    logger,
    now,
    maxAlarmAgeMs: config.MAX_ALARM_AGE_MS,
  });

  // People's channels (DingTalk, WeCom, SMS, voice, e-mail) on the same deliveries queue (docs/notifications.md).
  const personDeliveries = createPersonDeliveryProcessor({
    registry: deps.registry,
    adapters: buildChannelAdapters({
      config,
      robotPolicy: createAddressPolicy(config.ALLOW_PRIVATE_WEBHOOK_TARGETS),
      requireHttps: webhookRequiresHttps(config),
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      now,
    }),
    rateLimit: new SubscriberRateLimit(redis, keyPrefix),
    recorder: new DeliveryRecorder(producer),
    metrics,
    logger,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    consoleBaseUrl: config.NOTIFY_CONSOLE_BASE_URL,
    ackLink: config.NOTIFY_ACK_LINK_SECRET && {
      baseUrl: config.NOTIFY_ACK_BASE_URL,
      secret: config.NOTIFY_ACK_LINK_SECRET.reveal(),
      ttlMs: config.NOTIFY_ACK_LINK_TTL_MS,
    },
    now,
  });

  let escalationWorker: Worker | undefined;
  let deliveryWorker: Worker | undefined;
  let consumer: BatchConsumer | undefined;
  let running = false;

  const workerLog = logger.child({ component: 'bullmq' });
  const watch = (w: Worker, queue: string) => {
    w.on('error', (err) => workerLog.error({ err, queue }, 'worker error'));
    w.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        workerLog.warn({ queue, jobId: job.id, reason: err.message }, 'job failed for good');
    });
  };

  return {
    queues: { escalation: escalationQueue, deliveries: deliveriesQueue },
    state,
    ready: () =>
      running && (escalationWorker?.isRunning() ?? false) && (deliveryWorker?.isRunning() ?? false),

    async start() {
      await producer.connect();
      escalationWorker = new Worker(
        escalationName,
        createEscalationProcessor({
          registry: deps.registry,
          state,
          scheduler,
          deliveries: enqueuer,
          metrics,
          logger,
          now,
        }),
        { connection: new Redis(config.REDIS_URL, redisOpts), concurrency: config.ESCALATION_CONCURRENCY },
      );
      deliveryWorker = new Worker(
        deliveriesName,
        routeDeliveryJob(
          createDeliveryProcessor({
            registry: deps.registry,
            rateLimit: new SubscriberRateLimit(redis, keyPrefix),
            recorder: new DeliveryRecorder(producer),
            metrics,
            logger,
            addressPolicy: createAddressPolicy(config.ALLOW_PRIVATE_WEBHOOK_TARGETS),
            requireHttps: webhookRequiresHttps(config),
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            now,
          }),
          personDeliveries,
        ),
        {
          connection: new Redis(config.REDIS_URL, redisOpts),
          concurrency: config.WEBHOOK_CONCURRENCY,
          // A webhook attempt may take the whole timeout; keep the lock well beyond it.
          lockDuration: Math.max(30_000, config.WEBHOOK_TIMEOUT_MS * 3),
          settings: {
            backoffStrategy: (attemptsMade, type) =>
              type === DELIVERY_BACKOFF_TYPE
                ? backoffDelayMs(attemptsMade, {
                    baseMs: config.WEBHOOK_BACKOFF_MS,
                    maxMs: config.WEBHOOK_BACKOFF_MAX_MS,
                  })
                : config.WEBHOOK_BACKOFF_MS,
          },
        },
      );
      watch(escalationWorker, QUEUES.escalation.name);
      watch(deliveryWorker, QUEUES.deliveries.name);
      await Promise.all([escalationWorker.waitUntilReady(), deliveryWorker.waitUntilReady()]);
      consumer = await startAlarmConsumer({
        kafka: deps.kafka,
        prefix: config.TOPIC_PREFIX,
        groupId: config.KAFKA_GROUP_ID,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        handler,
        deadLetters: new DeadLetterPublisher(producer),
        metrics,
        logger,
      });
      running = true;
      logger.info(
        { escalationQueue: escalationName, deliveriesQueue: deliveriesName },
        'alert dispatcher started',
      );
    },

    async stop() {
      running = false;
      // Every step runs even if an earlier one failed (a half-closed dispatcher must not hang).
      const steps: Array<[string, () => Promise<unknown> | undefined]> = [
        ['alarm consumer', () => consumer?.stop()],
        ['escalation worker', () => escalationWorker?.close()],
        ['delivery worker', () => deliveryWorker?.close()],
        ['queues', () => Promise.all([escalationQueue.close(), deliveriesQueue.close()])],
        ['producer', () => producer.disconnect()],
        ['redis', () => redis.quit()],
      ];
      const errors: unknown[] = [];
      for (const [name, run] of steps) {
        try {
          await run();
        } catch (err) {
          errors.push(err);
          logger.error({ err, step: name }, 'dispatcher stop step failed');
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'alert dispatcher stopped with errors');
    },
  };
}
