import { randomUUID } from 'node:crypto';
import { commonErrors } from '@yujing/errors';
import { AlarmCommand } from '@yujing/schemas';
import { verifyAckLink } from '@yujing/webhook-signature';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ackLinkErrors } from '../ack-link-errors';
import type { AckLinkNonces } from '../collaborators';
import type { RouteContext } from '../route-context';

/**
 * One-time acknowledge links (`/ack-links?token=…`) from notification messages (DingTalk, WeCom, SMS, e-mail). No
 * bearer token: the link's HMAC signature (shared key with the alert dispatcher) is the
 * authority, and it allows exactly one thing — acknowledging one alarm as the person it was
 * sent to. GET shows a confirmation page (link previews in chat apps fetch URLs and must not
 * acknowledge); POST acknowledges through the ordinary command path (yj.alarm-commands.v1 →
 * rules-worker), whose ack transition stops the escalation. A forged or altered link is
 * refused with 403, an expired one with 410, a used one with 409.
 */

export interface AckLinkOptions {
  secret: string;
  nonces: AckLinkNonces;
}

/** In the query, not the path: a signed token is longer than a path parameter may be (Fastify's 100). */
const Query = z.object({ token: z.string().min(1).max(4096) });

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export const ackLinkRoutes =
  (ctx: RouteContext, opts: AckLinkOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const check = (token: string) => {
      const verdict = verifyAckLink(opts.secret, token, ctx.now());
      if (verdict.ok) return verdict.claims;
      if (verdict.reason === 'expired') throw ackLinkErrors.YJ_ERR_ACK_LINK_EXPIRED();
      throw ackLinkErrors.YJ_ERR_ACK_LINK_INVALID();
    };

    app.get(
      '/ack-links',
      {
        schema: {
          tags: ['acknowledge links'],
          summary: 'Confirmation page of a one-time acknowledge link (does not acknowledge)',
          querystring: Query,
        },
      },
      async (req, reply) => {
        const claims = check(req.query.token);
        return reply
          .type('text/html; charset=utf-8')
          .send(
            page(
              '确认报警',
              `<h1>确认报警</h1><p>${escapeHtml(claims.personName)}，您将确认报警：</p><p><code>${escapeHtml(claims.alarmId)}</code></p><form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">确认报警</button></form><p>此链接仅可使用一次。</p>`,
            ),
          );
      },
    );

    app.post(
      '/ack-links',
      {
        schema: {
          tags: ['acknowledge links'],
          summary: 'Acknowledge the alarm of a one-time link (as the person it was sent to)',
          querystring: Query,
        },
      },
      async (req, reply) => {
        const claims = check(req.query.token);
        if (!(await opts.nonces.consume(claims.nonce, claims.exp - ctx.now())))
          throw ackLinkErrors.YJ_ERR_ACK_LINK_USED();
        const command = AlarmCommand.parse({
          commandId: randomUUID(),
          alarmId: claims.alarmId,
          enterpriseId: claims.enterpriseId,
          action: 'ack',
          actor: { id: `person:${claims.personId}`, role: claims.role, name: claims.personName },
          comment: '通过通知消息中的确认链接确认',
          issuedAt: ctx.now(),
        });
        const outcome = ctx.hub.awaitCommand(
          {
            commandId: command.commandId,
            alarmId: command.alarmId,
            action: 'ack',
            actorId: command.actor.id,
            graceMs: ctx.transitionGraceMs,
          },
          ctx.commandWaitMs,
        );
        try {
          await ctx.bus.send(command);
        } catch (err) {
          ctx.hub.cancelCommand(command.commandId);
          await opts.nonces.release(claims.nonce); // not sent: the link may be used again
          throw commonErrors.YJ_ERR_DEPENDENCY_UNAVAILABLE('the command could not be handed to Kafka', {
            cause: err,
          });
        }
        ctx.log.info(
          { alarmId: claims.alarmId, personId: claims.personId, commandId: command.commandId },
          'alarm acknowledged from a notification link',
        );
        const done = await outcome;
        const wantsHtml = (req.headers.accept ?? '').includes('text/html');
        const status = !done ? 202 : done.result.ok ? 200 : 409;
        const result = !done ? 'pending' : done.result.ok ? 'acknowledged' : 'refused';
        if (wantsHtml) {
          const text =
            result === 'acknowledged'
              ? '报警已确认，升级通知已停止。'
              : result === 'pending'
                ? '确认已提交，正在处理。'
                : `未能确认：${escapeHtml(done?.result.message ?? '报警状态已变化')}`;
          return reply
            .code(status)
            .type('text/html; charset=utf-8')
            .send(page('确认报警', `<h1>${text}</h1>`));
        }
        return reply.code(status).send({
          commandId: command.commandId,
          alarmId: claims.alarmId,
          status: result,
          ...(done && !done.result.ok ? { code: done.result.code, detail: done.result.message } : {}),
        });
      },
    );
  };
