export { EscalationStepJob, QUEUES, type QueueId, queueName, WebhookDeliveryJob } from './queue-catalogue';
