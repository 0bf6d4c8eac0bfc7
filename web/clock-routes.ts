/**
 * The coordination clocks' JSON API, beside the transfers' and with the same guards: start,
 * list, state, events. Actor and time of each event come from the signed-in person and the
 * server, never from the body.
 */
import type { FastifyInstance } from 'fastify';
import { ClockFilters } from '../client/clock-list';
import { parseInput } from '../client/parse-input';
import type { WebContext } from './context';
import { sendProblem as fail } from './errors';
import { actorFor } from './roles';
import { guard } from './staff-auth';

export function clockRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.post('/api/clocks', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'start', 'api')) return reply;
    try {
      return reply.code(201).send(await ctx.clocks.startClock(request.body));
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.get('/api/clocks', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'read', 'api')) return reply;
    try {
      const q = request.query as Record<string, string | undefined>;
      return await ctx.clocks.listClocks(parseInput(ClockFilters, { kind: q.kind, status: q.status }));
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.get('/api/clocks/:clockId', async (request, reply) => {
    if (!guard(ctx.sessions, request, reply, 'read', 'api')) return reply;
    try {
      return await ctx.clocks.getClock((request.params as { clockId: string }).clockId);
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.post('/api/clocks/:clockId/events', async (request, reply) => {
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
    // Closing a clock before its obligation is met is a manager's decision, like withdrawing a transfer.
    if ((body as { type?: unknown }).type === 'clock-closed' && !guard(ctx.sessions, request, reply, 'withdraw', 'api'))
      return reply;
    try {
      return await ctx.clocks.sendClockEvent((request.params as { clockId: string }).clockId, {
        ...body,
        actor: actorFor(user),
      });
    } catch (err) {
      return fail(reply, err);
    }
  });
}
