/**
 * The JSON API, mirroring the CLI: start, events, state, list, stuck, withdraw. Actor and time
 * of each event come from the signed-in person and the server, never from the body.
 */
import type { FastifyInstance } from 'fastify';
import { TransferFilters } from '../client/transfer-list';
import { parseInput } from '../client/parse-input';
import type { WebContext } from './context';
import { sendProblem as fail } from './errors';
import { actorFor } from './roles';
import { guard } from './staff-auth';

export function apiRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.post('/api/transfers', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'start', 'api')) return reply;
    try {
      return reply.code(201).send(await ctx.service.startTransfer(request.body));
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.get('/api/transfers', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'read', 'api')) return reply;
    try {
      const q = request.query as Record<string, string | undefined>;
      const filters = parseInput(TransferFilters, {
        stage: q.stage,
        waitingOn: q.waitingOn,
        provider: q.provider,
        stuck: q.stuck === 'true',
      });
      return await ctx.service.listTransfers(filters);
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.get('/api/transfers/stuck', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'read', 'api')) return reply;
    return ctx.service.stuckTransfers();
  });

  app.get('/api/transfers/:referralId', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'read', 'api')) return reply;
    try {
      return await ctx.service.getTransfer((request.params as { referralId: string }).referralId);
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.post('/api/transfers/:referralId/events', async (request, reply) => {
    const user = guard(ctx.sessions, request, reply, 'send-event', 'api');
    if (!user) return reply;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return reply.code(400).send({ error: 'expected a JSON object' });
    if ('actor' in body || 'sentAt' in body)
      return reply.code(400).send({
        error: 'actor and sentAt come from your sign-in and the server',
        problems: [{ field: 'actor', message: 'not accepted' }],
      });
    // Withdrawing is a manager's decision: the same rule as the withdraw route.
    if ((body as { type?: unknown }).type === 'withdrawn' && !guard(ctx.sessions, request, reply, 'withdraw', 'api'))
      return reply;
    try {
      return await ctx.service.sendEvent((request.params as { referralId: string }).referralId, {
        ...body,
        actor: actorFor(user),
      });
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.post('/api/transfers/:referralId/withdraw', async (request, reply) => {
    const user = guard(ctx.sessions, request, reply, 'withdraw', 'api');
    if (!user) return reply;
    const reason = (request.body as { reason?: unknown } | undefined)?.reason;
    try {
      return await ctx.service.withdraw(
        (request.params as { referralId: string }).referralId,
        typeof reason === 'string' ? reason : '',
        actorFor(user),
      );
    } catch (err) {
      return fail(reply, err);
    }
  });
}
