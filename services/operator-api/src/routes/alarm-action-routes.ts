import { randomUUID } from 'node:crypto';
import { commonErrors } from '@yujing/errors';
import { AlarmCommand, AlarmCommandResult, Attachment, DurationMs } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors, WORKER_REFUSAL_STATUS } from '../api-errors';
import type { ApiAction } from '../auth/access-matrix';
import { AlarmIdParams, AlarmView, errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { ProblemDetails } from '../http/problem-details';
import type { RouteContext } from '../route-context';
import { findAlarm } from './find-alarm';

const Comment = z.string().min(1).max(2000);
const Reason = z.string().min(1).max(500);
const Attachments = z
  .array(Attachment)
  .max(20)
  .describe('files of the step, by reference (not uploaded here)');
/** A closed-loop step: what was done or found (text) and its files by reference. */
const LoopStepBody = z.object({ comment: Comment.optional(), attachments: Attachments.optional() });

/** Body of each action (shelve needs a duration and a reason; comment and feedback need text). */
const ACTION_BODIES = {
  ack: z.object({ comment: Comment.optional() }),
  shelve: z.object({
    durationMs: DurationMs.min(60_000)
      .max(7 * 86_400_000)
      .describe('1 min … 7 days'),
    reason: Reason,
  }),
  unshelve: z.object({ reason: Reason.optional() }),
  verify: LoopStepBody,
  dispose: LoopStepBody,
  feedback: z.object({
    comment: Comment.describe('反馈: what was done and found'),
    attachments: Attachments.optional(),
  }),
  close: LoopStepBody,
  comment: z.object({ comment: Comment }),
} as const;
type ActionName = keyof typeof ACTION_BODIES;

const Applied = z.object({
  commandId: z.string(),
  status: z.literal('applied'),
  result: AlarmCommandResult,
  transition: AlarmView.nullable().describe(
    'the transition the worker emitted, when seen within the wait bound',
  ),
});
const Pending = z.object({ commandId: z.string(), status: z.literal('pending'), location: z.string() });

export const alarmActionRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    for (const action of Object.keys(ACTION_BODIES) as ActionName[]) {
      app.post(
        `/alarms/:id/${action}`,
        {
          schema: {
            tags: ['alarm actions'],
            summary: `${action} an alarm (becomes an AlarmCommand for the rules-worker)`,
            params: AlarmIdParams,
            body: ACTION_BODIES[action],
            response: {
              200: Applied,
              202: Pending.describe('the worker has not answered within COMMAND_WAIT_MS; poll the Location'),
              409: ProblemDetails,
              422: ProblemDetails,
              ...errorResponses,
            },
          },
        },
        async (req, reply) => {
          const p = authorize(req, action as ApiAction);
          const alarm = await findAlarm(ctx, p, req.params.id);
          const body = req.body as {
            comment?: string;
            reason?: string;
            durationMs?: number;
            attachments?: z.infer<typeof Attachments>;
          };
          const command = AlarmCommand.parse({
            commandId: randomUUID(),
            alarmId: alarm.alarmId,
            enterpriseId: alarm.enterpriseId,
            action,
            actor: { id: p.id, role: p.role, ...(p.name !== undefined ? { name: p.name } : {}) },
            ...(body.comment !== undefined ? { comment: body.comment } : {}),
            ...(body.reason !== undefined ? { reason: body.reason } : {}),
            ...(body.durationMs !== undefined ? { durationMs: body.durationMs } : {}),
            ...(body.attachments?.length ? { attachments: body.attachments } : {}),
            issuedAt: ctx.now(),
          });
          const outcome = ctx.hub.awaitCommand(
            {
              commandId: command.commandId,
              alarmId: command.alarmId,
              action,
              actorId: p.id,
              graceMs: ctx.transitionGraceMs,
            },
            ctx.commandWaitMs,
          );
          try {
            await ctx.bus.send(command);
          } catch (err) {
            ctx.hub.cancelCommand(command.commandId);
            throw commonErrors.YJ_ERR_DEPENDENCY_UNAVAILABLE('the command could not be handed to Kafka', {
              cause: err,
            });
          }
          ctx.log.info(
            {
              alarmId: alarm.alarmId,
              enterpriseId: alarm.enterpriseId,
              action,
              commandId: command.commandId,
              actor: p.id,
            },
            'alarm command sent',
          );
          const done = await outcome;
          const location = `/api/v1/alarms/${encodeURIComponent(alarm.alarmId)}`;
          if (!done)
            return reply
              .code(202)
              .header('location', location)
              .send({ commandId: command.commandId, status: 'pending' as const, location });
          if (!done.result.ok) {
            const code = done.result.code ?? apiErrors.YJ_ERR_API_COMMAND_REFUSED.code;
            const status = (WORKER_REFUSAL_STATUS[code] ?? 422) as 403 | 404 | 409 | 422;
            return reply
              .code(status)
              .type('application/problem+json')
              .send({
                type: `https://yujing.example/problems/${code}`,
                title: code,
                status,
                code,
                detail: done.result.message ?? `the rules-worker refused ${action}`,
              });
          }
          return {
            commandId: command.commandId,
            status: 'applied' as const,
            result: done.result,
            transition: done.transition ?? null,
          };
        },
      );
    }
  };
