export { QUEUES, queueName, EscalationStepJob, WebhookDeliveryJob, type QueueId } from './queue-catalogue';
